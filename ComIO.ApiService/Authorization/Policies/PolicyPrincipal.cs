namespace ComIO.ApiService.Authorization.Policies;

/// <summary>The authenticated caller a policy is evaluated for.</summary>
/// <param name="Arn">The caller's ARN: <c>arn:aws:iam::&lt;12-digit account&gt;:user/&lt;name&gt;</c>, or <c>arn:aws:iam::&lt;account&gt;:root</c> for the account's administrator. Compared ordinally.</param>
/// <param name="CanonicalId">The caller's canonical user id (64 hex digits), matched by <c>{"CanonicalUser": ...}</c> case-insensitively.</param>
/// <param name="UserName">The caller's user name.</param>
/// <param name="AccountId">The caller's 12-digit account id; a policy naming the account (or its <c>:root</c> ARN) matches every principal of it.</param>
public sealed record PolicyPrincipal(string Arn, string CanonicalId, string UserName, string AccountId);
