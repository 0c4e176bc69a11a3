using System.Text;

namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// A resource or condition value from a policy: text with optional <c>*</c>/<c>?</c> wildcards and, in 2012-10-17 documents,
/// policy variables (<c>${aws:username}</c>) and escapes (<c>${*}</c>, <c>${?}</c>, <c>${$}</c>, which stand for the literal
/// character and never act as wildcards; nor do wildcard characters inside a substituted variable value).
/// Immutable and thread-safe. A pattern without variables matches without allocating.
/// </summary>
internal sealed class PolicyPattern
{
    private readonly string _text;
    private readonly bool[]? _literal;
    private readonly Segment[]? _segments;

    private PolicyPattern(string source, string text, bool[]? literal, Segment[]? segments)
    {
        Source = source;
        _text = text;
        _literal = literal;
        _segments = segments;
    }

    private enum SegmentKind
    {
        Text,
        Escaped,
        Variable,
    }

    /// <summary>The text as written in the policy.</summary>
    public string Source { get; }

    /// <summary>Whether the pattern contains a policy variable (resolved per request).</summary>
    public bool HasVariables => _segments is not null;

    /// <summary>Whether the pattern, after escapes, contains a <c>*</c> or <c>?</c> that acts as a wildcard.</summary>
    public bool HasWildcards
    {
        get
        {
            if (_segments is null)
            {
                for (var i = 0; i < _text.Length; i++)
                {
                    if ((_text[i] == '*' || _text[i] == '?') && (_literal is null || !_literal[i]))
                    {
                        return true;
                    }
                }

                return false;
            }

            foreach (var segment in _segments)
            {
                if (segment.Kind == SegmentKind.Text && GlobMatcher.HasWildcard(segment.Value))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Parses <paramref name="source"/>; variables and escapes are recognised only when <paramref name="variablesEnabled"/>.</summary>
    public static PolicyPattern Create(string source, bool variablesEnabled)
    {
        if (!variablesEnabled || !source.Contains("${", StringComparison.Ordinal))
        {
            return new PolicyPattern(source, source, null, null);
        }

        var segments = new List<Segment>();
        var hasVariable = false;
        var start = 0;
        var i = 0;
        while (i < source.Length - 1)
        {
            if (source[i] != '$' || source[i + 1] != '{')
            {
                i++;
                continue;
            }

            var close = source.IndexOf('}', i + 2);
            if (close < 0)
            {
                break; // An unterminated "${" is ordinary text.
            }

            if (i > start)
            {
                segments.Add(new Segment(SegmentKind.Text, source[start..i]));
            }

            var name = source[(i + 2)..close];
            if (name is "*" or "?" or "$")
            {
                segments.Add(new Segment(SegmentKind.Escaped, name));
            }
            else
            {
                segments.Add(new Segment(SegmentKind.Variable, name));
                hasVariable = true;
            }

            i = close + 1;
            start = i;
        }

        if (start < source.Length)
        {
            segments.Add(new Segment(SegmentKind.Text, source[start..]));
        }

        if (hasVariable)
        {
            return new PolicyPattern(source, source, null, [.. segments]);
        }

        var (text, literal) = Build(segments, request: null);
        return new PolicyPattern(source, text!, literal, null);
    }

    /// <summary>Whether every variable of the pattern resolves for <paramref name="request"/>.</summary>
    public bool CanResolve(PolicyRequest request)
    {
        if (_segments is null)
        {
            return true;
        }

        foreach (var segment in _segments)
        {
            if (segment.Kind == SegmentKind.Variable && Resolve(segment.Value, request) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Matches <paramref name="input"/> against the pattern (wildcards active when <paramref name="wildcards"/>; otherwise an exact
    /// comparison). Returns <see langword="false"/> when a variable does not resolve, in which case <paramref name="matched"/> is
    /// meaningless.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<char> input, PolicyRequest request, bool wildcards, bool ignoreCase, out bool matched)
    {
        string text;
        bool[]? literal;
        if (_segments is null)
        {
            text = _text;
            literal = _literal;
        }
        else
        {
            (var built, literal) = Build(_segments, request);
            if (built is null)
            {
                matched = false;
                return false;
            }

            text = built;
        }

        matched = wildcards
            ? GlobMatcher.IsMatch(text, literal, input, ignoreCase)
            : input.Equals(text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return true;
    }

    /// <summary>The pattern's text with escapes and variables substituted, or <see langword="null"/> when a variable does not resolve.</summary>
    public string? Resolve(PolicyRequest request)
        => _segments is null ? _text : Build(_segments, request).Text;

    public override string ToString() => Source;

    private static string? Resolve(string variable, PolicyRequest request)
    {
        var values = request.FindValues(variable.Trim());
        return values is { Count: 1 } ? values[0] : null;
    }

    private static (string? Text, bool[]? Literal) Build(IReadOnlyList<Segment> segments, PolicyRequest? request)
    {
        var builder = new StringBuilder();
        List<int>? literalIndexes = null;
        foreach (var segment in segments)
        {
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    builder.Append(segment.Value);
                    break;
                case SegmentKind.Escaped:
                    (literalIndexes ??= []).Add(builder.Length);
                    builder.Append(segment.Value);
                    break;
                default:
                    var value = request is null ? null : Resolve(segment.Value, request);
                    if (value is null)
                    {
                        return (null, null);
                    }

                    foreach (var c in value)
                    {
                        if (c is '*' or '?')
                        {
                            (literalIndexes ??= []).Add(builder.Length);
                        }

                        builder.Append(c);
                    }

                    break;
            }
        }

        bool[]? literal = null;
        if (literalIndexes is not null)
        {
            literal = new bool[builder.Length];
            foreach (var index in literalIndexes)
            {
                literal[index] = true;
            }
        }

        return (builder.ToString(), literal);
    }

    private readonly record struct Segment(SegmentKind Kind, string Value);
}
