using System.Text.Json;
using IntegrationHub.Hub.Conversations;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Hub.Extensions;

/// <summary>
/// Turns request errors into ProblemDetails that say what was wrong (malformed JSON with its
/// position, a body over the limit, an unknown conversation) instead of a bare 400 or a 500.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, Describe(bad)),
            ConversationNotFoundException missing => (StatusCodes.Status404NotFound, missing.Message),
            _ => (StatusCodes.Status500InternalServerError, "the hub could not process this request; it has been logged"),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new()
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        });
    }

    static string Describe(BadHttpRequestException bad)
    {
        for (Exception? e = bad; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
                return $"malformed JSON at {json.Path ?? "$"} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}): {FirstSentence(json.Message)}";
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
                return "the request body is larger than this endpoint accepts";
        }
        return bad.Message.Contains("Implicit body inferred", StringComparison.Ordinal) || bad.Message.Contains("Required parameter", StringComparison.Ordinal)
            ? "a JSON request body is required"
            : bad.Message;
    }

    static string FirstSentence(string message) => message.Split(". Path:", 2)[0];
}
