using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace Serverless.Compute.AzureBatch.Tests.Fakes;

/// <summary>
/// The documented Batch data-plane wire format (api-version 2025-06-01), checked on every request the
/// fake service receives: query, headers, and the JSON body's field names, types and enum values. A body
/// field not in the API is a violation too, so a misspelt name cannot slip through as "ignored".
/// </summary>
internal static class WireContract
{
    public const string ApiVersion = "2025-06-01";
    public const string ContentType = "application/json; odata=minimalmetadata";

    private delegate void Check(JsonElement value, string path, List<string> violations);

    private static readonly Check s_string = (v, p, e) => Expect(v.ValueKind == JsonValueKind.String, p, "a string", v, e);
    private static readonly Check s_int = (v, p, e) => Expect(v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out _), p, "an integer", v, e);
    private static readonly Check s_bool = (v, p, e) => Expect(v.ValueKind is JsonValueKind.True or JsonValueKind.False, p, "a boolean", v, e);

    private static readonly Check s_duration = (v, p, e) =>
    {
        if (v.ValueKind != JsonValueKind.String || !IsIsoDuration(v.GetString()!))
        {
            e.Add($"{p}: expected an ISO 8601 duration string, got {v.GetRawText()}");
        }
    };

    private static readonly Check s_identity = Obj(new() { ["resourceId"] = s_string }, "resourceId");

    private static readonly Check s_jobConstraints = Obj(new() { ["maxWallClockTime"] = s_duration, ["maxTaskRetryCount"] = s_int });

    private static readonly Check s_jobCreate = Obj(
        new()
        {
            ["id"] = s_string, ["displayName"] = s_string, ["priority"] = s_int, ["usesTaskDependencies"] = s_bool,
            ["allowTaskPreemption"] = s_bool, ["maxParallelTasks"] = s_int, ["constraints"] = s_jobConstraints,
            ["poolInfo"] = Obj(new() { ["poolId"] = s_string }, "poolId"),
            ["onAllTasksComplete"] = Enum("noaction", "terminatejob"),
            ["onTaskFailure"] = Enum("noaction", "performexitoptionsjobaction"),
        },
        "id", "poolInfo");

    private static readonly Check s_jobPatch = Obj(
        new()
        {
            ["priority"] = s_int, ["allowTaskPreemption"] = s_bool, ["maxParallelTasks"] = s_int,
            ["constraints"] = s_jobConstraints, ["onAllTasksComplete"] = Enum("noaction", "terminatejob"),
        });

    private static readonly Check s_jobTerminate = Obj(new() { ["terminateReason"] = s_string });

    private static readonly Check s_resourceFile = (v, p, e) =>
    {
        Obj(
            new()
            {
                ["autoStorageContainerName"] = s_string, ["storageContainerUrl"] = s_string, ["httpUrl"] = s_string,
                ["blobPrefix"] = s_string, ["filePath"] = s_string, ["fileMode"] = s_string, ["identityReference"] = s_identity,
            })(v, p, e);
        if (v.ValueKind == JsonValueKind.Object)
        {
            var sources = new[] { "autoStorageContainerName", "storageContainerUrl", "httpUrl" }.Count(s => v.TryGetProperty(s, out _));
            Expect(sources == 1, p, "exactly one of autoStorageContainerName, storageContainerUrl, httpUrl", v, e);
        }
    };

    private static readonly Check s_outputFile = Obj(
        new()
        {
            ["filePattern"] = s_string,
            ["destination"] = Obj(
                new()
                {
                    ["container"] = Obj(
                        new() { ["containerUrl"] = s_string, ["path"] = s_string, ["identityReference"] = s_identity },
                        "containerUrl"),
                },
                "container"),
            ["uploadOptions"] = Obj(new() { ["uploadCondition"] = Enum("tasksuccess", "taskfailure", "taskcompletion") }, "uploadCondition"),
        },
        "filePattern", "destination", "uploadOptions");

    private static readonly Check s_taskCreate = Obj(
        new()
        {
            ["id"] = s_string, ["displayName"] = s_string, ["commandLine"] = s_string, ["requiredSlots"] = s_int,
            ["containerSettings"] = Obj(
                new()
                {
                    ["imageName"] = s_string, ["containerRunOptions"] = s_string,
                    ["workingDirectory"] = Enum("taskWorkingDirectory", "containerImageDefault"),
                    ["registry"] = Obj(
                        new() { ["registryServer"] = s_string, ["identityReference"] = s_identity, ["username"] = s_string, ["password"] = s_string }),
                },
                "imageName"),
            ["resourceFiles"] = Array(s_resourceFile),
            ["outputFiles"] = Array(s_outputFile),
            ["environmentSettings"] = Array(Obj(new() { ["name"] = s_string, ["value"] = s_string }, "name")),
            ["constraints"] = Obj(new() { ["maxWallClockTime"] = s_duration, ["retentionTime"] = s_duration, ["maxTaskRetryCount"] = s_int }),
            ["userIdentity"] = Obj(
                new()
                {
                    ["username"] = s_string,
                    ["autoUser"] = Obj(new() { ["scope"] = Enum("task", "pool"), ["elevationLevel"] = Enum("nonadmin", "admin") }),
                }),
        },
        "id", "commandLine");

    /// <summary>Checks the parts every request shares.</summary>
    public static void CheckCommon(RecordedRequest request, List<string> violations)
    {
        var where = $"{request.Method} {request.Path}";
        if (request.Query.GetValueOrDefault("api-version") != ApiVersion)
        {
            violations.Add($"{where}: api-version must be {ApiVersion}, got '{request.Query.GetValueOrDefault("api-version")}'");
        }

        if (request.Header("Authorization") != "Bearer " + FixedTokenCredential.Token)
        {
            violations.Add($"{where}: Authorization must be the bearer token, got '{request.Header("Authorization")}'");
        }

        var id = request.Header("client-request-id");
        if (id is null || !Guid.TryParseExact(id, "D", out _))
        {
            violations.Add($"{where}: client-request-id must be a GUID without braces, got '{id}'");
        }

        if (request.Header("return-client-request-id") != "true")
        {
            violations.Add($"{where}: return-client-request-id must be true");
        }

        var date = request.Header("ocp-date");
        if (date is null || !DateTimeOffset.TryParseExact(date, "R", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || Math.Abs((parsed - DateTimeOffset.UtcNow).TotalMinutes) > 5)
        {
            violations.Add($"{where}: ocp-date must be the current time in RFC 1123 form, got '{date}'");
        }

        if (request.Body.Length > 0 && request.Header("Content-Type") != ContentType)
        {
            violations.Add($"{where}: Content-Type must be '{ContentType}', got '{request.Header("Content-Type")}'");
        }
    }

    public static void CheckJobCreate(RecordedRequest r, List<string> v) => CheckBody(r, s_jobCreate, v, required: true);

    public static void CheckJobPatch(RecordedRequest r, List<string> v) => CheckBody(r, s_jobPatch, v, required: true);

    public static void CheckJobTerminate(RecordedRequest r, List<string> v) => CheckBody(r, s_jobTerminate, v, required: false);

    public static void CheckTaskCreate(RecordedRequest r, List<string> v) => CheckBody(r, s_taskCreate, v, required: true);

    public static void CheckNoBody(RecordedRequest r, List<string> v)
    {
        if (r.Body.Length > 0)
        {
            v.Add($"{r.Method} {r.Path}: expected no body");
        }
    }

    private static void CheckBody(RecordedRequest request, Check check, List<string> violations, bool required)
    {
        var where = $"{request.Method} {request.Path} body";
        if (request.Body.Length == 0)
        {
            if (required)
            {
                violations.Add($"{where}: missing");
            }

            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(request.Body);
            check(doc.RootElement, where, violations);
        }
        catch (JsonException ex)
        {
            violations.Add($"{where}: not JSON ({ex.Message})");
        }
    }

    private static Check Obj(Dictionary<string, Check> properties, params string[] required) => (v, p, e) =>
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            e.Add($"{p}: expected an object, got {v.GetRawText()}");
            return;
        }

        foreach (var property in v.EnumerateObject())
        {
            if (properties.TryGetValue(property.Name, out var check))
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    e.Add($"{p}.{property.Name}: null should be omitted");
                }
                else
                {
                    check(property.Value, $"{p}.{property.Name}", e);
                }
            }
            else
            {
                e.Add($"{p}.{property.Name}: not a field of the Batch API");
            }
        }

        foreach (var name in required)
        {
            if (!v.TryGetProperty(name, out _))
            {
                e.Add($"{p}.{name}: required");
            }
        }
    };

    private static Check Array(Check item) => (v, p, e) =>
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            e.Add($"{p}: expected an array, got {v.GetRawText()}");
            return;
        }

        var i = 0;
        foreach (var element in v.EnumerateArray())
        {
            item(element, $"{p}[{i++}]", e);
        }
    };

    private static Check Enum(params string[] values) => (v, p, e) =>
        Expect(v.ValueKind == JsonValueKind.String && values.Contains(v.GetString()), p, "one of " + string.Join("|", values), v, e);

    private static void Expect(bool ok, string path, string what, JsonElement value, List<string> violations)
    {
        if (!ok)
        {
            violations.Add($"{path}: expected {what}, got {value.GetRawText()}");
        }
    }

    private static bool IsIsoDuration(string text)
    {
        try
        {
            XmlConvert.ToTimeSpan(text);
            return text.StartsWith('P');
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
