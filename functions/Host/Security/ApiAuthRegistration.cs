using Serverless.Host.Functions;

namespace Serverless.Host.Security;

/// <summary>
/// The handler's own authentication, after the Functions host's key check: Entra ID bearer tokens and/or the
/// EasyAuth principal, on every route except anonymous functions (<c>/health</c>) and the trigger invocations.
/// </summary>
public static class ApiAuthRegistration
{
    /// <summary>Binds <see cref="AuthOptions"/> and, when Entra validation is on, its validator.</summary>
    public static IServiceCollection AddApiAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (options.Entra.Enabled)
        {
            // Fails at start, naming the setting, instead of on the first request.
            options.Entra.ResolveMetadataAddress();
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => new EntraTokenValidator(options.Entra, new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, TimeProvider.System));
        return services;
    }

    /// <summary>Refuses unauthenticated requests with 401 when any check is configured; a no-op otherwise.</summary>
    public static IApplicationBuilder UseApiAuth(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<AuthOptions>();
        if (!options.Entra.Enabled && !options.RequireEasyAuthPrincipal)
        {
            return app;
        }

        var catalog = app.ApplicationServices.GetRequiredService<FunctionCatalog>();
        var invoked = catalog.InvokedFunctions.Select(n => "/" + n).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var validator = app.ApplicationServices.GetRequiredService<EntraTokenValidator>();
        return app.Use(async (http, next) =>
        {
            var path = http.Request.Path.Value ?? "/";
            var function = catalog.FindHttp(path);
            var open = function?.AuthLevel == "anonymous" || (HttpMethods.IsPost(http.Request.Method) && invoked.Contains(path));
            if (!open && await RefusalAsync(http, options, validator) is { } problem)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                if (options.Entra.Enabled)
                {
                    http.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{problem.Replace('"', '\'')}\"";
                }

                await http.Response.WriteAsJsonAsync(new { error_code = "UNAUTHENTICATED", message = problem });
                return;
            }

            await next(http);
        });
    }

    private static async Task<string?> RefusalAsync(HttpContext http, AuthOptions options, EntraTokenValidator validator)
    {
        if (options.RequireEasyAuthPrincipal && EasyAuthPrincipal.Check(http.Request.Headers[EasyAuthPrincipal.Header]) is { } easyAuthProblem)
        {
            return easyAuthProblem;
        }

        if (!options.Entra.Enabled)
        {
            return null;
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "an Entra ID bearer token is required (Authorization: Bearer <token>)";
        }

        try
        {
            return await validator.ValidateAsync(authorization["Bearer ".Length..].Trim(), http.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // The issuer's keys are unreachable: refuse rather than let the request through unchecked.
            return "the token issuer's signing keys could not be fetched";
        }
    }
}
