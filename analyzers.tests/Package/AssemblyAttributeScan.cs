using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>
/// Reads, without loading the assembly, which of its types carry a given attribute: used to
/// check that the assemblies inside the package are the real analyzer and code-fix assemblies.
/// </summary>
internal static class AssemblyAttributeScan
{
    /// <summary>
    /// Full names of the types in <paramref name="assemblyImage"/> that carry an attribute whose
    /// type is named <paramref name="attributeTypeName"/> (simple name, e.g. <c>ExportCodeFixProviderAttribute</c>).
    /// </summary>
    public static IReadOnlyList<string> TypesWithAttribute(byte[] assemblyImage, string attributeTypeName)
    {
        using var pe = new PEReader(new MemoryStream(assemblyImage));
        var reader = pe.GetMetadataReader();
        var found = new List<string>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            foreach (var attributeHandle in type.GetCustomAttributes())
            {
                if (AttributeTypeName(reader, reader.GetCustomAttribute(attributeHandle)) == attributeTypeName)
                {
                    found.Add($"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}");
                }
            }
        }

        return found;
    }

    private static string? AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle parent = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return parent.Kind switch
        {
            HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name),
            HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
            _ => null,
        };
    }
}
