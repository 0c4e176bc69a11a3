using ComIO.Storage.Devices;
using ComIO.Storage.Tests.Support;
using Microsoft.Win32.SafeHandles;

namespace ComIO.Storage.Tests;

public sealed class KernelAioTests : IDisposable
{
    private const int FileBytes = 4 * 1024 * 1024;
    private readonly TempDirectory _directory = new();
    private readonly SafeFileHandle _file;
    private readonly KernelAio _aio;

    public KernelAioTests()
    {
        var path = _directory.Combine("aio.img");
        using (var file = File.Create(path))
        {
            file.SetLength(FileBytes);
        }

        var fd = NativeMethods.Open(path, NativeMethods.ORdWr | NativeMethods.ODirect | NativeMethods.OCloExec);
        Assert.True(fd >= 0, "open with O_DIRECT failed");
        _file = new SafeFileHandle(fd, ownsHandle: true);
        _aio = KernelAio.TryCreate(path, fd, depth: 8) ?? throw new InvalidOperationException("This machine's kernel gives no AIO context.");
    }

    public void Dispose()
    {
        _aio.Dispose();
        _file.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task ManyTransfersAtOnce_MoreThanTheDepth_AllComplete_AndReadBackWhatWasWritten()
    {
        const int Blocks = 64; // eight times the context's depth: the rest wait for a slot
        using var pool = new AlignedBufferPool(65536, maxRetained: Blocks);
        var buffers = Enumerable.Range(0, Blocks).Select(_ => pool.Rent()).ToArray();
        try
        {
            for (var i = 0; i < Blocks; i++)
            {
                TestData.Random(65536, i).CopyTo(buffers[i].Span);
            }

            await Task.WhenAll(Enumerable.Range(0, Blocks).Select(i => _aio.WriteAsync(i * 65536L, buffers[i].Memory)));
            foreach (var buffer in buffers)
            {
                buffer.Span.Clear();
            }

            await Task.WhenAll(Enumerable.Range(0, Blocks).Select(i => _aio.ReadAsync(i * 65536L, buffers[i].Memory)));
            for (var i = 0; i < Blocks; i++)
            {
                Assert.True(buffers[i].Span.SequenceEqual(TestData.Random(65536, i)), $"block {i} did not read back as written");
            }
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                buffer.Dispose();
            }
        }
    }

    [Fact]
    public async Task ReadAsync_FailsWithIOException_AtTheEndOfTheFile()
    {
        using var buffer = AlignedBuffer.Allocate(4096);
        var error = await Assert.ThrowsAsync<IOException>(() => _aio.ReadAsync(FileBytes, buffer.Memory));
        Assert.Contains("end of device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATransferTheKernelRejects_FailsWithItsErrno_AndTheContextKeepsWorking()
    {
        using var buffer = AlignedBuffer.Allocate(4096);
        TestData.Random(4096, 7).CopyTo(buffer.Span);
        await _aio.WriteAsync(4096, buffer.Memory);

        const int ReadOnly = 0;
        var path = _directory.Combine("aio.img");
        using var readOnly = new SafeFileHandle(NativeMethods.Open(path, ReadOnly | NativeMethods.ODirect | NativeMethods.OCloExec), ownsHandle: true);
        Assert.False(readOnly.IsInvalid);
        using var aio = KernelAio.TryCreate(path, (int)readOnly.DangerousGetHandle(), depth: 4)!;
        // A write on a descriptor opened read-only: the kernel refuses it with EBADF (errno 9).
        var error = await Assert.ThrowsAsync<IOException>(() => aio.WriteAsync(0, buffer.Memory));
        Assert.Contains("errno 9", error.Message, StringComparison.Ordinal);

        buffer.Span.Clear();
        await aio.ReadAsync(4096, buffer.Memory);
        Assert.True(buffer.Span.SequenceEqual(TestData.Random(4096, 7)));
    }

    [Fact]
    public async Task TransfersAfterDispose_FailWithObjectDisposedException()
    {
        using var buffer = AlignedBuffer.Allocate(4096);
        await _aio.ReadAsync(0, buffer.Memory);
        _aio.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _aio.ReadAsync(0, buffer.Memory));
    }
}
