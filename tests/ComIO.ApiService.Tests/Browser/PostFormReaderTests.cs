using System.Net.Http.Headers;
using System.Text;
using ComIO.ApiService.Browser.PostObject;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Browser;

/// <summary>Reading browser-upload forms from real multipart/form-data bodies, streaming the file.</summary>
public sealed class PostFormReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MultipartFormDataContent Form(IEnumerable<(string Name, string Value)> fields, byte[]? file = null, string fileName = "photo.jpg")
    {
        var content = new MultipartFormDataContent("----ComIOBoundary7MA4YWxkTrZu0gW");
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, "file", fileName);
        }

        return content;
    }

    private static async Task<PostForm> ReadAsync(MultipartFormDataContent content) =>
        await PostFormReader.ReadAsync(content.Headers.ContentType!.ToString(), await content.ReadAsStreamAsync(Ct), Ct);

    private static async Task<byte[]> ReadFileAsync(PostForm form)
    {
        using var copy = new MemoryStream();
        await form.File.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    [Fact]
    public async Task ReadAsync_ReturnsFieldsBeforeFile_AndStreamsFile()
    {
        var file = Encoding.UTF8.GetBytes("the file's bytes\r\n--not a boundary\r\n");
        using var content = Form([("key", "photos/a.jpg"), ("acl", "public-read"), ("x-amz-meta-tag", "é")], file);

        var form = await ReadAsync(content);

        Assert.Equal("photos/a.jpg", form.Key);
        Assert.Equal("public-read", form.Fields["ACL"]);
        Assert.Equal("é", form.Fields["X-Amz-Meta-Tag"]);
        Assert.Equal("photo.jpg", form.FileName);
        Assert.Equal("image/jpeg", form.FileContentType);
        Assert.Equal(file, await ReadFileAsync(form));
    }

    [Fact]
    public async Task ReadAsync_ReplacesFileNamePlaceholder_InKey()
    {
        using var content = Form([("key", "uploads/${filename}")], [1, 2, 3], "report.pdf");

        var form = await ReadAsync(content);

        Assert.Equal("uploads/report.pdf", form.Key);
        Assert.Equal("uploads/report.pdf", form.Fields["key"]);
    }

    [Fact]
    public async Task ReadAsync_MatchesFieldNamesCaseInsensitively_KeepingFirstValue()
    {
        using var content = Form([("KEY", "first"), ("Key", "second"), ("Content-Type", "text/plain")], [7], "x");
        content.Add(new StringContent("after"), "field-after-file");

        var form = await ReadAsync(content);

        Assert.Equal("first", form.Key);
        Assert.Equal("text/plain", form.Fields["content-type"]);
        Assert.False(form.Fields.ContainsKey("field-after-file"));
        Assert.Equal([7], await ReadFileAsync(form));
    }

    [Fact]
    public async Task ReadAsync_AcceptsFileFieldNameInAnyCase()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"FILE\"; filename=\"a.txt\"\r\n\r\nabc\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"ignored\"\r\n\r\nv\r\n--b--\r\n";

        var form = await PostFormReader.ReadAsync("multipart/form-data; boundary=b", new MemoryStream(Encoding.UTF8.GetBytes(body)), Ct);

        Assert.Equal("a.txt", form.FileName);
        Assert.Null(form.FileContentType);
        Assert.Equal("abc"u8.ToArray(), await ReadFileAsync(form));
    }

    [Fact]
    public async Task ReadAsync_ThrowsInvalidArgument_WhenNoFilePart()
    {
        using var content = Form([("key", "k"), ("acl", "private")]);

        var error = await Assert.ThrowsAsync<S3Exception>(() => ReadAsync(content));

        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
        Assert.Equal("POST requires exactly one file upload per request.", error.Message);
        Assert.Equal([new("ArgumentName", "file"), new("ArgumentValue", "0")], error.ExtraElements);
    }

    [Fact]
    public async Task ReadAsync_ThrowsInvalidArgument_WhenKeyNotBeforeFile()
    {
        using var content = Form([("acl", "private")], [1]);
        content.Add(new StringContent("late"), "key");

        var error = await Assert.ThrowsAsync<S3Exception>(() => ReadAsync(content));

        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
        Assert.Equal("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_AcceptsFieldsUpTo20KiBWithPartHeaders_RejectsOneByteMore()
    {
        // Hand-built parts, so the header bytes charged are known: "Content-Disposition" + "form-data; name=\"…\"".
        static string Part(string name, string value) => $"--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n";
        static int Charge(string name, string value) => "Content-Disposition".Length + $"form-data; name=\"{name}\"".Length + value.Length;
        var padding = PostFormReader.MaxFieldBytes - Charge("key", "k") - Charge("x-ignore-pad", "");
        const string File = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\nx\r\n--b--\r\n";

        Task<PostForm> Read(int padLength) => PostFormReader.ReadAsync(
            "multipart/form-data; boundary=b",
            new MemoryStream(Encoding.UTF8.GetBytes(Part("key", "k") + Part("x-ignore-pad", new string('a', padLength)) + File)),
            Ct);

        Assert.Equal("k", (await Read(padding)).Key);
        var error = await Assert.ThrowsAsync<S3Exception>(() => Read(padding + 1));
        Assert.Equal(S3ErrorCodes.MaxPostPreDataLengthExceeded, error.Error);
        Assert.Equal("Your POST request fields preceeding the upload file was too large.", error.Message);
        Assert.Equal([new("MaxPostPreDataLengthBytes", "20480")], error.ExtraElements);
    }

    [Fact]
    public async Task ReadAsync_RejectsOneFieldOver20KiB_FromMultipartFormDataContent()
    {
        using var content = Form([("key", "k"), ("x-ignore-pad", new string('a', PostFormReader.MaxFieldBytes))], [1]);

        var error = await Assert.ThrowsAsync<S3Exception>(() => ReadAsync(content));

        Assert.Equal(S3ErrorCodes.MaxPostPreDataLengthExceeded, error.Error);
    }

    [Fact]
    public async Task ReadAsync_RejectsManySmallFields_AddingUpPast20KiB()
    {
        using var content = Form([("key", "k"), .. Enumerable.Range(0, 400).Select(i => ($"x-ignore-{i}", new string('v', 50)))], [1]);

        var error = await Assert.ThrowsAsync<S3Exception>(() => ReadAsync(content));

        Assert.Equal(S3ErrorCodes.MaxPostPreDataLengthExceeded, error.Error);
    }

    [Fact]
    public async Task ReadAsync_StopsReadingHugeField_AtTheLimit()
    {
        var body = new GeneratedStream(64L * 1024 * 1024, prefix: "--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<S3Exception>(() => PostFormReader.ReadAsync("multipart/form-data; boundary=b", body, Ct));

        Assert.Equal(S3ErrorCodes.MaxPostPreDataLengthExceeded, error.Error);
        Assert.True(body.Position < 1024 * 1024, $"read {body.Position} bytes");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/html")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/mixed; boundary=b")]
    public async Task ReadAsync_ThrowsPreconditionFailed_WhenNotMultipartFormData(string? contentType)
    {
        var error = await Assert.ThrowsAsync<S3Exception>(() => PostFormReader.ReadAsync(contentType, new MemoryStream(), Ct));

        Assert.Equal(S3ErrorCode.PreconditionFailed, error.Error);
        Assert.Equal("At least one of the pre-conditions you specified did not hold", error.Message);
        Assert.Equal([new("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")], error.ExtraElements);
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task ReadAsync_ThrowsMalformedPostRequest_WhenBoundaryUnusable(string contentType)
    {
        var error = await Assert.ThrowsAsync<S3Exception>(() => PostFormReader.ReadAsync(contentType, new MemoryStream(), Ct));

        Assert.Equal(S3ErrorCodes.MalformedPOSTRequest, error.Error);
        Assert.Equal("The body of your POST request is not well-formed multipart/form-data.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_TreatsNonFormDataFilePart_AsField()
    {
        const string Body = "--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n"
            + "--b\r\nContent-Disposition: file; name=\"file\"; filename=\"a\"\r\n\r\nabc\r\n--b--\r\n";

        var error = await Assert.ThrowsAsync<S3Exception>(
            () => PostFormReader.ReadAsync("multipart/form-data; boundary=b", new MemoryStream(Encoding.UTF8.GetBytes(Body)), Ct));

        Assert.Equal("POST requires exactly one file upload per request.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_KeepsPlaceholder_WhenFilePartHasNoFileName()
    {
        const string Body = "--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nfile-as-field-${filename}\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b--\r\n";

        var form = await PostFormReader.ReadAsync("multipart/form-data; boundary=b", new MemoryStream(Encoding.UTF8.GetBytes(Body)), Ct);

        Assert.Null(form.FileName);
        Assert.Equal("file-as-field-${filename}", form.Key);
    }

    [Fact]
    public async Task ReadAsync_ReplacesPlaceholderWithEmpty_WhenFileNameIsEmpty()
    {
        const string Body = "--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n\r\n--b--\r\n";

        var form = await PostFormReader.ReadAsync("multipart/form-data; boundary=b", new MemoryStream(Encoding.UTF8.GetBytes(Body)), Ct);

        Assert.Equal("uploads/", form.Key);
        Assert.Empty(await ReadFileAsync(form));
    }

    [Theory]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk")]
    [InlineData("--b\r\nContent-Type: text/plain\r\n\r\nk\r\n--b--\r\n")]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nk\r\n--b--\r\n")]
    [InlineData("--b\r\nno colon header\r\n\r\nk\r\n--b--\r\n")]
    public async Task ReadAsync_ThrowsMalformedPostRequest_WhenPartsBroken(string body)
    {
        var error = await Assert.ThrowsAsync<S3Exception>(
            () => PostFormReader.ReadAsync("multipart/form-data; boundary=b", new MemoryStream(Encoding.UTF8.GetBytes(body)), Ct));

        Assert.Equal(S3ErrorCodes.MalformedPOSTRequest, error.Error);
    }

    [Fact]
    public async Task ReadAsync_EveryTruncationBeforeFile_FailsWithS3Error()
    {
        using var content = Form([("key", "k"), ("acl", "private"), ("policy", "eyJ9")], [1, 2, 3]);
        var bytes = await content.ReadAsByteArrayAsync(Ct);
        var contentType = content.Headers.ContentType!.ToString();
        var fileHeader = Encoding.ASCII.GetString(bytes).IndexOf("name=file", StringComparison.Ordinal);
        for (var length = 0; length < fileHeader; length++)
        {
            var error = await Assert.ThrowsAsync<S3Exception>(() => PostFormReader.ReadAsync(contentType, new MemoryStream(bytes[..length]), Ct));
            Assert.True(error.Error == S3ErrorCodes.MalformedPOSTRequest || error.Error == S3ErrorCode.InvalidArgument, $"{length}: {error.Error.Code}");
        }
    }

    [Fact]
    public async Task ReadAsync_Streams50MiBFile_WithoutBufferingIt()
    {
        // The multipart framing comes from MultipartFormDataContent (a 1-byte file part, split around its content);
        // the 50 MiB content is generated on the fly so that only the reader's own allocations are measured.
        const long size = 50L * 1024 * 1024;
        using var content = new MultipartFormDataContent("streaming-boundary");
        content.Add(new StringContent("big/${filename}"), "key");
        content.Add(new ByteArrayContent("#"u8.ToArray()), "file", "big.bin");
        var framing = await content.ReadAsByteArrayAsync(Ct);
        var split = Array.LastIndexOf(framing, (byte)'#');
        using var body = new GeneratedStream(size, framing[..split], framing[(split + 1)..]);

        var (key, total, allocated) = ReadOnThisThread(content.Headers.ContentType!.ToString(), body);

        Assert.Equal("big/big.bin", key);
        Assert.Equal(size, total);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes while streaming {size}");
    }

    /// <summary>
    /// Reads the form and its file synchronously (every stream here completes synchronously), so that
    /// <see cref="GC.GetAllocatedBytesForCurrentThread"/> sees every allocation the reader makes.
    /// </summary>
    private static (string Key, long Total, long Allocated) ReadOnThisThread(string contentType, Stream body)
    {
        var buffer = new byte[64 * 1024];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = PostFormReader.ReadAsync(contentType, body, CancellationToken.None);
        Assert.True(pending.IsCompleted, "the reader should complete synchronously over synchronous streams");
        var form = pending.Result;
        long total = 0;
        int read;
        while ((read = form.File.Read(buffer)) > 0)
        {
            for (var i = 0; i < read; i += 4099)
            {
                // Plain comparison: Assert.Equal allocates, which would pollute the measurement.
                if (buffer[i] != GeneratedStream.ByteAt(total + i))
                {
                    throw new InvalidDataException($"byte {total + i} differs");
                }
            }

            total += read;
        }

        return (form.Key, total, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A read-only stream of <c>length</c> generated bytes (between an optional prefix and suffix) that allocates nothing per read.</summary>
    private sealed class GeneratedStream(long length, byte[]? prefix = null, byte[]? suffix = null) : Stream
    {
        private readonly byte[] _prefix = prefix ?? [];
        private readonly byte[] _suffix = suffix ?? [];
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _prefix.Length + length + _suffix.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public static byte ByteAt(long offset) => (byte)(offset % 251);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var available = (int)Math.Min(buffer.Length, Length - _position);
            for (var i = 0; i < available; i++)
            {
                var at = _position + i;
                buffer[i] = at < _prefix.Length ? _prefix[at]
                    : at < _prefix.Length + length ? ByteAt(at - _prefix.Length)
                    : _suffix[at - _prefix.Length - length];
            }

            _position += available;
            return available;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
