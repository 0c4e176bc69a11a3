namespace ComIO.ApiService.Configuration;

/// <summary>Admin credentials (<c>Auth__AdminAccessKey</c>, <c>Auth__AdminSecretKey</c>). Never logged.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public string AdminAccessKey { get; set; } = "";

    public string AdminSecretKey { get; set; } = "";
}
