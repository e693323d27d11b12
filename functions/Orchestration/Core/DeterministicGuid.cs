using System.Security.Cryptography;
using System.Text;

namespace Serverless.Orchestration;

/// <summary>
/// Name-based GUIDs: the same name always gives the same GUID. Laid out like RFC 4122 version 5, but
/// hashed with SHA-256 (truncated) since nothing here needs SHA-1 compatibility.
/// </summary>
internal static class DeterministicGuid
{
    public static Guid Create(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
