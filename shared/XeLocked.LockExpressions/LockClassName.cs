using System;

namespace XeLocked.LockExpressions
{
    /// <summary>
    /// The name of a lock class as <c>[LockOrder]</c> and <c>[NoLockEdge]</c> write it:
    /// <c>TypeName.MemberName</c>, where the type name is simple (<c>Vm</c>) or qualified by its
    /// namespace or enclosing types (<c>XeLocked.Xe.Vm</c>, <c>Outer.Inner</c>). The one parser of
    /// these names, used by the analyzer, the run-time tracker and the Sim's graph alike.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Grammar: two or more C# identifiers (a letter or <c>_</c>, then letters, digits or <c>_</c>)
    /// separated by single dots, with nothing else: no white space, no <c>global::</c> alias, no
    /// generic arguments or arity (<c>Box&lt;T&gt;</c>, <c>Box`1</c>: a generic type is named by
    /// its simple name, <c>Box.Lock</c>), no <c>+</c> for nested types (write <c>Outer.Inner.Lock</c>).
    /// </para>
    /// <para>
    /// Two names are the same class when their <see cref="Key"/>s are: the simple type name and the
    /// member, so <c>"XeLocked.Xe.Vm.Lock"</c> equals <c>"Vm.Lock"</c>.
    /// </para>
    /// </remarks>
    public readonly struct LockClassName : IEquatable<LockClassName>
    {
        private const string Form = "a lock class is written 'TypeName.MemberName'";

        private LockClassName(string typeName, string simpleTypeName, string memberName)
        {
            TypeName = typeName;
            SimpleTypeName = simpleTypeName;
            MemberName = memberName;
        }

        /// <summary>The type as written: <c>Vm</c>, <c>XeLocked.Xe.Vm</c>, <c>Outer.Inner</c>.</summary>
        public string TypeName { get; }

        /// <summary>The last segment of <see cref="TypeName"/>: <c>Vm</c>, <c>Inner</c>.</summary>
        public string SimpleTypeName { get; }

        /// <summary>The lock field or property: <c>Lock</c>.</summary>
        public string MemberName { get; }

        /// <summary>True when <see cref="TypeName"/> has more than one segment.</summary>
        public bool IsQualified => TypeName.Length != SimpleTypeName.Length;

        /// <summary>The name the class is compared under: <c>SimpleTypeName.MemberName</c> (<c>Vm.Lock</c>).</summary>
        public string Key => SimpleTypeName + "." + MemberName;

        /// <summary>
        /// The class of member <paramref name="memberName"/> declared in a type whose (reflection or
        /// symbol) simple name is <paramref name="typeName"/>: a generic arity suffix (<c>Box`1</c>)
        /// is dropped, as the type is named by its simple name. Not validated: it names a member
        /// that exists.
        /// </summary>
        /// <exception cref="ArgumentNullException">A name is null.</exception>
        public static LockClassName OfMember(string typeName, string memberName)
        {
            if (typeName == null)
            {
                throw new ArgumentNullException(nameof(typeName));
            }

            if (memberName == null)
            {
                throw new ArgumentNullException(nameof(memberName));
            }

            var tick = typeName.IndexOf('`');
            var simple = tick < 0 ? typeName : typeName.Substring(0, tick);
            return new LockClassName(simple, simple, memberName);
        }

        /// <summary>Parses <paramref name="text"/>, or says what is wrong with it and where.</summary>
        /// <returns>True and the name, or false and the error (its position in <paramref name="text"/>).</returns>
        public static bool TryParse(string? text, out LockClassName name, out LockExpressionError? error)
        {
            name = default;
            error = Check(text ?? string.Empty);
            if (error != null)
            {
                return false;
            }

            var s = text!;
            var lastDot = s.LastIndexOf('.');
            var typeName = s.Substring(0, lastDot);
            var typeDot = typeName.LastIndexOf('.');
            name = new LockClassName(typeName, typeDot < 0 ? typeName : typeName.Substring(typeDot + 1), s.Substring(lastDot + 1));
            return true;
        }

        /// <summary>Parses <paramref name="text"/>.</summary>
        /// <exception cref="FormatException">The text is not a lock class name (the message says why and where).</exception>
        public static LockClassName Parse(string? text)
        {
            if (!TryParse(text, out var name, out var error))
            {
                throw new FormatException($"\"{text}\" is not a lock class name: {error}.");
            }

            return name;
        }

        /// <summary>The name as written, normalized to nothing: <c>TypeName.MemberName</c>.</summary>
        public override string ToString() => TypeName == null ? string.Empty : TypeName + "." + MemberName;

        /// <summary>Same class: equal <see cref="Key"/>s (ordinal).</summary>
        public bool Equals(LockClassName other) => string.Equals(KeyOrNull(), other.KeyOrNull(), StringComparison.Ordinal);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is LockClassName other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => KeyOrNull() is string key ? StringComparer.Ordinal.GetHashCode(key) : 0;

        /// <summary>Same class.</summary>
        public static bool operator ==(LockClassName left, LockClassName right) => left.Equals(right);

        /// <summary>Different classes.</summary>
        public static bool operator !=(LockClassName left, LockClassName right) => !left.Equals(right);

        private string? KeyOrNull() => TypeName == null ? null : Key;

        private static LockExpressionError? Check(string s)
        {
            if (s.Length == 0 || s.Trim().Length == 0)
            {
                return new LockExpressionError(Form + ", not empty", 0, s.Length);
            }

            if (s.StartsWith("global::", StringComparison.Ordinal))
            {
                return new LockExpressionError(Form + ", without 'global::'", 0, "global::".Length);
            }

            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c))
                {
                    return new LockExpressionError(Form + ", without white space", i, 1);
                }

                if (c == '<' || c == '>' || c == '`' || c == ',')
                {
                    return new LockExpressionError(Form + ": a generic type is named by its simple name, without type arguments or arity", i, s.Length - i);
                }

                if (c == '+')
                {
                    return new LockExpressionError(Form + ": a nested type is written 'Outer.Inner', not 'Outer+Inner'", i, 1);
                }
            }

            if (s.IndexOf('.') < 0)
            {
                return new LockExpressionError(Form, 0, s.Length);
            }

            var start = 0;
            while (start <= s.Length)
            {
                var end = s.IndexOf('.', start);
                if (end < 0)
                {
                    end = s.Length;
                }

                if (end == start)
                {
                    // Point at the dot that lacks its identifier.
                    return start == 0
                        ? new LockExpressionError(Form + ": expected an identifier before '.'", 0, 1)
                        : new LockExpressionError(Form + ": expected an identifier after '.'", start - 1, 1);
                }

                if (!IsIdentifier(s, start, end))
                {
                    return new LockExpressionError(Form + $": '{s.Substring(start, end - start)}' is not an identifier", start, end - start);
                }

                start = end + 1;
            }

            return null;
        }

        private static bool IsIdentifier(string s, int start, int end)
        {
            if (!(s[start] == '_' || char.IsLetter(s[start])))
            {
                return false;
            }

            for (var i = start + 1; i < end; i++)
            {
                if (!(s[i] == '_' || char.IsLetterOrDigit(s[i])))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
