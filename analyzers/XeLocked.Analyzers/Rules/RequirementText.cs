using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// Renders a requirement in the terms of the method being analyzed, so that a code fix can add
    /// it as <c>[Requires("…")]</c> (XL0002/XL0004) or find the acquisition of a lock (XL0003). A
    /// diagnostic carries the text in its properties only when every lock of the requirement can be
    /// named from the method's signature: rooted at <c>this</c>, at one of its parameters, or static.
    /// A path through a local or a temporary cannot be named in a contract, and then no text (and no
    /// "Add [Requires]" fix) is offered; a path through a local can still be named at the access
    /// (<see cref="SiteExpressionKey"/>, for "Wrap in lock"). A temporary cannot.
    /// </summary>
    internal static class RequirementText
    {
        /// <summary>Diagnostic property: the requirement in the method's terms (XL0002, XL0004).</summary>
        public const string RequiredExpressionKey = "XeLocked.RequiredExpression";

        /// <summary>
        /// Diagnostic property: the requirement as it can be written at the access itself (XL0002,
        /// XL0004): like <see cref="RequiredExpressionKey"/>, and also when a lock is reached through
        /// a local variable (<c>var vm = …; vm.Data</c> → <c>vm.Lock</c>), for a fix that takes the lock there.
        /// </summary>
        public const string SiteExpressionKey = "XeLocked.SiteExpression";

        /// <summary>Diagnostic property: the lock held in too weak a mode, in the method's terms (XL0003).</summary>
        public const string WeakLockKey = "XeLocked.WeakLock";

        /// <summary>Diagnostic property: the held lock an acquisition conflicts with, in the method's terms (XL0001).</summary>
        public const string HeldLockKey = "XeLocked.HeldLock";

        /// <summary>Properties for a diagnostic: <paramref name="key"/> → <paramref name="text"/> when there is one.</summary>
        public static ImmutableDictionary<string, string?> Properties(string key, string? text) =>
            text == null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(key, text);

        /// <summary>
        /// Properties of an unsatisfied requirement: <see cref="RequiredExpressionKey"/> and
        /// <see cref="SiteExpressionKey"/> (see <see cref="Render"/>), each when it can be written.
        /// </summary>
        public static ImmutableDictionary<string, string?> RequiredProperties(ResolvedExpression expression, Func<AccessPath, AccessPath?> substitute, bool writeWhenNoMode, IMethodSymbol method)
        {
            var properties = Properties(RequiredExpressionKey, Render(expression, substitute, writeWhenNoMode, method));
            var site = Render(expression, substitute, writeWhenNoMode, method, allowLocals: true);
            return site == null ? properties : properties.SetItem(SiteExpressionKey, site);
        }

        /// <summary>
        /// <paramref name="expression"/> with every path substituted and written from
        /// <paramref name="method"/>'s point of view; a reader-writer lock without a mode gets
        /// <c>:write</c> when <paramref name="writeWhenNoMode"/>, else <c>:read</c>. Null when some path
        /// cannot be named there; with <paramref name="allowLocals"/>, a path rooted at a local is
        /// named by the local (it can be written at the access, not in a contract).
        /// </summary>
        public static string? Render(ResolvedExpression expression, Func<AccessPath, AccessPath?> substitute, bool writeWhenNoMode, IMethodSymbol method, bool allowLocals = false)
        {
            var alternatives = new List<string>();
            foreach (var alternative in expression.Alternatives)
            {
                var factors = new List<string>();
                foreach (var factor in alternative)
                {
                    var path = substitute(factor.Path);
                    var text = path == null ? null
                        : allowLocals && path.Kind == PathRootKind.Local && path.Root != null ? string.Join(".", new[] { path.Root.Name }.Concat(path.Members.Select(m => m.Name)))
                        : PathText(path, method);
                    if (text == null)
                    {
                        return null;
                    }

                    var mode = factor.Mode != LockModeSpec.None ? factor.Mode
                        : factor.Flavor.IsReaderWriter() ? (writeWhenNoMode ? LockModeSpec.Write : LockModeSpec.Read)
                        : LockModeSpec.None;
                    factors.Add(mode switch
                    {
                        LockModeSpec.Read => text + ":read",
                        LockModeSpec.Write => text + ":write",
                        _ => text,
                    });
                }

                var distinct = factors.Distinct().ToList();
                var term = string.Join(" & ", distinct);
                alternatives.Add(distinct.Count > 1 && expression.Alternatives.Length > 1 ? "(" + term + ")" : term);
            }

            return alternatives.Count == 0 ? null : string.Join(" | ", alternatives.Distinct());
        }

        /// <summary>
        /// The path as a lock expression path inside <paramref name="method"/>: <c>Lock</c> for
        /// <c>this.Lock</c>, <c>vm.Lock</c> for a parameter <c>vm</c>, <c>Type.Member</c> for a static;
        /// null for locals, temporaries and parameters of another method.
        /// </summary>
        public static string? PathText(AccessPath path, IMethodSymbol method)
        {
            var members = path.Members.Select(m => m.Name);
            switch (path.Kind)
            {
                case PathRootKind.This:
                    return path.Members.IsEmpty ? "this" : string.Join(".", members);
                case PathRootKind.Parameter:
                    return path.Root is IParameterSymbol p && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol?.OriginalDefinition, method.OriginalDefinition)
                        ? string.Join(".", new[] { p.Name }.Concat(members))
                        : null;
                case PathRootKind.Static:
                    var type = path.Members[0].ContainingType;
                    return type == null ? null : type.Name + "." + string.Join(".", members);
                default:
                    return null;
            }
        }
    }
}
