using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Serverless.Pipelines.Planning;

/// <summary>
/// The cache key of a ready step: SHA-256 over its resolved definition (command, env, value inputs,
/// declared outputs, compute, environment, item), the content digests of its input artifacts, and the
/// package's code digest. Artifact locations are left out on purpose: the same bytes at another place hit
/// the cache.
/// </summary>
public static class StepCacheKey
{
    /// <summary>Computes the key, <c>sha256:HEX</c>.</summary>
    /// <param name="step">The resolved step.</param>
    /// <param name="codeDigest">The package's code digest.</param>
    /// <exception cref="InvalidOperationException">An input artifact has no digest yet.</exception>
    public static string Compute(ReadyStep step, string codeDigest)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(codeDigest);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            var d = step.Definition;
            w.WriteStartObject();
            w.WriteString("v", "1");
            w.WriteString("code", codeDigest);
            w.WriteString("step", d.Name);
            w.WriteString("command", step.Command);
            w.WriteStartObject("env");
            foreach (var (k, v) in step.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
            w.WriteStartArray("inputs");
            foreach (var input in step.Inputs.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("name", input.Name);
                if (input.Value is { } value)
                {
                    w.WritePropertyName("value");
                    value.WriteJson(w);
                }
                else
                {
                    w.WriteBoolean("collected", input.Collected);
                    w.WriteStartArray("digests");
                    foreach (var a in input.Artifacts)
                    {
                        w.WriteStringValue(a.Digest ?? throw new InvalidOperationException(
                            $"input '{input.Name}' of step '{step.Key}' ({a.Uri}) has no digest; resolve it before computing the cache key"));
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("outputs");
            foreach (var o in d.Outputs.OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                w.WriteStringValue($"{o.Name}:{o.Kind}:{o.ValueType}");
            }

            w.WriteEndArray();
            w.WriteString("target", d.Compute.Target.ToString());
            w.WriteString("resources", JsonSerializer.Serialize(d.Compute.Resources));
            w.WriteString("runtime", step.Environment.Runtime);
            w.WriteString("image", d.Compute.Resources.Image ?? step.Environment.Image);
            if (step.Item is { } item)
            {
                w.WritePropertyName("item");
                item.WriteJson(w);
            }

            w.WriteEndObject();
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()));
    }

    /// <summary>A copy of <paramref name="step"/> with digests filled in for inputs that have none.</summary>
    /// <param name="step">The resolved step.</param>
    /// <param name="digestOf">Returns the digest of an artifact URI (e.g. from the package manifest or by hashing).</param>
    public static ReadyStep WithInputDigests(ReadyStep step, Func<ArtifactRef, string> digestOf)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(digestOf);
        return step with
        {
            Inputs = step.Inputs.Select(i => i with
            {
                Artifacts = i.Artifacts.Select(a => a.Digest is null ? a with { Digest = digestOf(a) } : a).ToList(),
            }).ToList(),
        };
    }
}
