using System.Text.Json;

namespace Serverless.Host.Functions;

/// <summary>Maps <c>POST /{functionName}</c> for every non-HTTP function: the custom-handler invocation contract.</summary>
public static class InvocationEndpoints
{
    /// <summary>Maps the invocation endpoints of the catalog's timer and queue functions.</summary>
    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var catalog = endpoints.ServiceProvider.GetRequiredService<FunctionCatalog>();
        foreach (var name in catalog.InvokedFunctions)
        {
            endpoints.MapPost("/" + name, (HttpContext http, EngineTriggers triggers) => InvokeAsync(name, http, triggers))
                .ExcludeFromDescription();
        }

        return endpoints;
    }

    private static async Task<IResult> InvokeAsync(string name, HttpContext http, EngineTriggers triggers)
    {
        InvocationRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<InvocationRequest>(http.Request.Body, FunctionsJson.Options, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.Json(new { error = $"invocation of '{name}': the body is not a valid invocation payload ({{\"Data\":{{}},\"Metadata\":{{}}}}): {ex.Message}" },
                FunctionsJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        if (request is null)
        {
            return Results.Json(new { error = $"invocation of '{name}': the body is empty; expected {{\"Data\":{{}},\"Metadata\":{{}}}}" },
                FunctionsJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        var response = await triggers.InvokeAsync(name, request, http.RequestAborted);
        return response is null
            ? Results.NotFound()
            : Results.Json(response, FunctionsJson.Options);
    }
}
