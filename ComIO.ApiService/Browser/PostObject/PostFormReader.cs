using System.Buffers;
using System.Globalization;
using System.Text;
using ComIO.ApiService.Protocol.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ComIO.ApiService.Browser.PostObject;

/// <summary>
/// Reads a browser-upload (POST Object) <c>multipart/form-data</c> body up to the <c>file</c> part, without buffering
/// the file. Text fields before the file are collected (names case-insensitive; a repeated name keeps its first value).
/// The parts before the file (their header names and values, which include the field names, plus the field values)
/// may total at most <see cref="MaxFieldBytes"/> UTF-8 bytes (boundary lines are not counted); more is 400
/// <c>MaxPostPreDataLengthExceeded</c> with <c>MaxPostPreDataLengthBytes</c>, and a field is never buffered beyond that
/// budget. Fields after the file are never read (S3 ignores them). Only a <c>form-data</c> part named <c>file</c> is the
/// file. A Content-Type other than <c>multipart/form-data</c> is 412 <c>PreconditionFailed</c> (with S3's
/// <c>Condition</c> element); a missing or unusable boundary or part structure is 400 <c>MalformedPOSTRequest</c>; a
/// body without a file part is 400 <c>InvalidArgument</c> "POST requires exactly one file upload per request."
/// (<c>ArgumentName</c> file, <c>ArgumentValue</c> 0); no non-empty <c>key</c> field before the file is 400
/// <c>InvalidArgument</c> "Bucket POST must contain a field named 'key'.  If it is specified, please check the order
/// of the fields." <c>${filename}</c> in the key is replaced by the file part's <c>filename</c>; a part without a
/// <c>filename</c> parameter leaves it as is (as S3 does). Stateless and thread-safe.
/// </summary>
public static class PostFormReader
{
    /// <summary>S3's limit on the form fields preceding the file: 20 KB.</summary>
    public const int MaxFieldBytes = 20 * 1024;

    /// <summary>The placeholder in the <c>key</c> field that S3 replaces with the uploaded file's name.</summary>
    public const string FileNamePlaceholder = "${filename}";

    private const int MaxBoundaryLength = 70;

    /// <summary>
    /// Reads <paramref name="body"/> (the request body, with request Content-Type <paramref name="contentType"/>) up to
    /// the start of the file's content. The returned <see cref="PostForm.File"/> reads from <paramref name="body"/>.
    /// </summary>
    public static async Task<PostForm> ReadAsync(string? contentType, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var boundary = Boundary(contentType);
        // BodyLengthLimit stays null: the file part may be as large as an object; the caller bounds the request body.
        var reader = new MultipartReader(boundary, body) { HeadersCountLimit = 16, HeadersLengthLimit = MaxFieldBytes };
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var budget = MaxFieldBytes;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    throw new S3Exception(S3ErrorCodes.MalformedPOSTRequest);
                }

                // Only a form-data part named "file" is the file; S3 reads any other part (even "file; name=file") as a field.
                if (name.Equals("file", StringComparison.OrdinalIgnoreCase)
                    && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    var fileName = disposition.FileNameStar.HasValue || disposition.FileName.HasValue
                        ? HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value
                        : null;
                    if (!fields.TryGetValue("key", out var key) || key.Length == 0)
                    {
                        throw new S3Exception(S3ErrorCode.InvalidArgument, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
                        {
                            ExtraElements = [new("ArgumentName", "key"), new("ArgumentValue", string.Empty)],
                        };
                    }

                    if (fileName is not null)
                    {
                        fields["key"] = key.Replace(FileNamePlaceholder, fileName, StringComparison.Ordinal);
                    }

                    return new PostForm(fields, fileName, section.ContentType, section.Body);
                }

                // Charge the part's headers (which carry the field name) as well as its value, so that neither many
                // small parts nor long part headers get past the limit on what precedes the file.
                foreach (var (headerName, headerValue) in section.Headers ?? [])
                {
                    budget -= Encoding.UTF8.GetByteCount(headerName) + Encoding.UTF8.GetByteCount(headerValue.ToString());
                }

                if (budget < 0)
                {
                    throw TooLarge();
                }

                var value = await ReadFieldAsync(section.Body, budget, cancellationToken);
                budget -= Encoding.UTF8.GetByteCount(value);
                fields.TryAdd(name, value);
            }
        }
        catch (IOException)
        {
            throw new S3Exception(S3ErrorCodes.MalformedPOSTRequest);
        }
        catch (InvalidDataException)
        {
            throw new S3Exception(S3ErrorCodes.MalformedPOSTRequest);
        }

        throw new S3Exception(S3ErrorCode.InvalidArgument, "POST requires exactly one file upload per request.")
        {
            ExtraElements = [new("ArgumentName", "file"), new("ArgumentValue", "0")],
        };
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new S3Exception(S3ErrorCode.PreconditionFailed, "At least one of the pre-conditions you specified did not hold")
            {
                ExtraElements = [new("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")],
            };
        }

        if (HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= MaxBoundaryLength } boundary)
        {
            throw new S3Exception(S3ErrorCodes.MalformedPOSTRequest);
        }

        return boundary;
    }

    private static S3Exception TooLarge() => new(S3ErrorCodes.MaxPostPreDataLengthExceeded)
    {
        ExtraElements = [new("MaxPostPreDataLengthBytes", MaxFieldBytes.ToString(CultureInfo.InvariantCulture))],
    };

    /// <summary>Reads one field's value, failing as soon as it passes <paramref name="budget"/> bytes (never buffers more).</summary>
    private static async Task<string> ReadFieldAsync(Stream section, int budget, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(budget + 1);
        try
        {
            var length = 0;
            while (true)
            {
                var read = await section.ReadAsync(buffer.AsMemory(length, budget + 1 - length), cancellationToken);
                if (read == 0)
                {
                    return Encoding.UTF8.GetString(buffer, 0, length);
                }

                length += read;
                if (length > budget)
                {
                    throw TooLarge();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
