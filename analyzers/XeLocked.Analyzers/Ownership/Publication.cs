using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// Decides whether one use of an owned root (a reference to the local, capture or <c>this</c>)
    /// publishes the object. A use keeps it private only when it is:
    /// <list type="bullet">
    /// <item>the receiver of a field access or a field-like event's <c>+=</c>/<c>-=</c>, or of a property access whose accessors keep
    /// <c>this</c> private (<see cref="OwnershipIndex.CallKeepsReceiver"/>);</item>
    /// <item>the receiver of a call to a method that keeps <c>this</c> private;</item>
    /// <item>an argument of <c>System.Threading.Monitor</c> (locking the object itself);</item>
    /// <item>the <c>value</c> of an <c>Interlocked.CompareExchange</c> whose result a branch tests
    /// (published on the branch where it was stored: see <see cref="CompareExchange"/>);</item>
    /// <item>a copy into a local or compiler capture that is an alias of the same root (a local with
    /// that one definition);</item>
    /// <item>the operand of a comparison, a type test or a pattern without property subpatterns;</item>
    /// <item>the target of an assignment (the root is being redefined).</item>
    /// </list>
    /// Every other use publishes: stored into a field, static, array element or any other location,
    /// copied into a local that is not an alias, passed as an argument (<c>ref</c>/<c>out</c> included),
    /// returned, yielded, thrown, awaited, converted by a user-defined operator, interpolated.
    /// </summary>
    internal sealed class Publication
    {
        private readonly PathBuilder _paths;
        private readonly OwnershipIndex _index;

        /// <summary>
        /// The <c>Interlocked.CompareExchange</c> calls whose result a branch tests: their <c>value</c>
        /// argument is published by the branch where the exchange happened, not by the call.
        /// </summary>
        public System.Collections.Generic.HashSet<IInvocationOperation> Deferred { get; } = new System.Collections.Generic.HashSet<IInvocationOperation>();

        public Publication(PathBuilder paths, OwnershipIndex index)
        {
            _paths = paths;
            _index = index;
        }

        /// <summary>
        /// True when <paramref name="reference"/> (which denotes <paramref name="root"/>) publishes it;
        /// <paramref name="call"/> is the invocation when the use is the receiver of one.
        /// </summary>
        public bool Publishes(IOperation reference, AccessPath root, out IInvocationOperation? call)
        {
            call = null;
            var receiverType = reference.Type;
            var current = reference;
            while (current.Parent is IConversionOperation conversion && conversion.OperatorMethod == null)
            {
                current = conversion;
            }

            switch (current.Parent)
            {
                case IFieldReferenceOperation f when f.Instance == current:
                    return false;
                case IEventReferenceOperation e when e.Instance == current:
                    // A field-like event's accessors only update the delegate field; custom ones run code.
                    return e.Event.AddMethod?.IsImplicitlyDeclared != true || e.Event.RemoveMethod?.IsImplicitlyDeclared != true;
                case IPropertyReferenceOperation p when p.Instance == current:
                    return !(_index.CallKeepsReceiver(p.Property.GetMethod, receiverType, p.Property) &&
                             _index.CallKeepsReceiver(p.Property.SetMethod, receiverType, p.Property));
                case IInvocationOperation invocation when invocation.Instance == current:
                    call = invocation;
                    return !_index.CallKeepsReceiver(invocation.TargetMethod, receiverType, null);
                case IArgumentOperation argument when argument.Value == current && argument.Parent is IInvocationOperation target &&
                    _index.IsMonitor(target.TargetMethod.ContainingType):
                    return false;
                case IArgumentOperation argument when argument.Value == current && argument.Parent is IInvocationOperation exchange &&
                    Deferred.Contains(exchange) && CompareExchange.IsValueArgument(argument):
                    // Published on the branch where it won (OwnershipFlow), private on the other.
                    return false;
                case ISimpleAssignmentOperation assignment when assignment.Target == current:
                    return false;
                case ISimpleAssignmentOperation assignment when assignment.Value == current && !assignment.IsRef &&
                    assignment.Target is ILocalReferenceOperation target && root.Equals(_paths.Get(target)):
                    return false;
                case IFlowCaptureOperation capture when capture.Value == current && root.Equals(_paths.OfCapture(capture.Id)):
                    return false;
                case IIsTypeOperation:
                case IIsNullOperation:
                case IIsPatternOperation pattern when !pattern.Pattern.DescendantsAndSelf().OfType<IPropertySubpatternOperation>().Any():
                case IBinaryOperation binary when binary.OperatorMethod == null:
                    return false;
                default:
                    return true;
            }
        }
    }
}
