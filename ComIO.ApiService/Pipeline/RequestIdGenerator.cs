using System.Security.Cryptography;

namespace ComIO.ApiService.Pipeline;

/// <summary>Request ids as S3 shapes them: 16 upper-case hex characters, unique per request.</summary>
public static class RequestIdGenerator
{
    public static string Next() => RandomNumberGenerator.GetHexString(16);
}
