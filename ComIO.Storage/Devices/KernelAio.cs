using System.Buffers;
using System.Runtime.InteropServices;

namespace ComIO.Storage.Devices;

/// <summary>
/// Linux kernel asynchronous I/O (<c>io_setup</c>, <c>io_submit</c>, <c>io_getevents</c>) on one file descriptor opened
/// with O_DIRECT: up to <c>depth</c> transfers queued in the kernel at once with no thread blocked per transfer, where
/// blocking <c>pread</c>/<c>pwrite</c> needs one thread per transfer in flight. One reaper thread waits for completions
/// and completes each transfer's task on the thread pool; a short transfer is resubmitted for its remainder from the
/// reaper. Contract: the caller keeps the buffer alive and unchanged until the task completes (it is pinned meanwhile);
/// offsets and lengths follow O_DIRECT's alignment rules (the device validates them). Only on x86-64 Linux, whose
/// system call numbers are used; <see cref="TryCreate"/> returns null where the kernel refuses a context (no AIO support,
/// or <c>fs.aio-max-nr</c> reached), and the caller then uses threads.
/// </summary>
internal sealed partial class KernelAio : IDisposable
{
    private const long SysIoSetup = 206;
    private const long SysIoDestroy = 207;
    private const long SysIoGetEvents = 208;
    private const long SysIoSubmit = 209;
    private const ushort CommandRead = 0;
    private const ushort CommandWrite = 1;
    private const int EInterrupted = 4;
    private const int EventsPerReap = 64;

    /// <summary>How long the reaper waits for a completion before it looks whether the context was disposed.</summary>
    private const long ReaperPollNanoseconds = 100_000_000;

    private readonly string _name;
    private readonly int _fd;
    private readonly ulong _context;
    private readonly SemaphoreSlim _slots;
    private int _inFlight;
    private volatile bool _disposed;

    private KernelAio(string name, int fd, ulong context, int depth)
    {
        _name = name;
        _fd = fd;
        _context = context;
        _slots = new SemaphoreSlim(depth, depth);
        new Thread(Reap) { IsBackground = true, Name = "comio-device-aio" }.Start();
    }

    /// <summary>A context for up to <paramref name="depth"/> transfers on <paramref name="fd"/>, or null where kernel AIO is unavailable.</summary>
    public static unsafe KernelAio? TryCreate(string name, int fd, int depth)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        ulong context = 0;
        return Syscall(SysIoSetup, depth, (long)&context, 0, 0, 0) == 0 ? new KernelAio(name, fd, context, depth) : null;
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length at <paramref name="offset"/>; fails on an I/O error or the end of the device.</summary>
    public Task ReadAsync(long offset, Memory<byte> buffer) => TransferAsync(CommandRead, offset, buffer);

    /// <summary>Writes all of <paramref name="buffer"/> at <paramref name="offset"/>; fails on an I/O error.</summary>
    public Task WriteAsync(long offset, ReadOnlyMemory<byte> buffer) => TransferAsync(CommandWrite, offset, MemoryMarshal.AsMemory(buffer));

    /// <summary>Stops accepting transfers; the reaper completes those in flight, then releases the kernel context.</summary>
    public void Dispose() => _disposed = true;

    private async Task TransferAsync(ushort command, long offset, Memory<byte> buffer)
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        Transfer transfer;
        try
        {
            Interlocked.Increment(ref _inFlight);
            if (_disposed)
            {
                throw new ObjectDisposedException(_name, "The device is closed.");
            }

            transfer = new Transfer(command, _fd, offset, buffer);
            if (!Submit(_context, transfer, out var errno))
            {
                transfer.Release();
                throw new IOException($"io_submit failed on '{_name}': {NativeMethods.Describe(errno)}.");
            }
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            _slots.Release();
            throw;
        }

        await transfer.Task.ConfigureAwait(false);
    }

    private static unsafe bool Submit(ulong context, Transfer transfer, out int errno)
    {
        var control = transfer.Control;
        var submitted = Syscall(SysIoSubmit, (long)context, 1, (long)&control, 0, 0);
        errno = submitted == 1 ? 0 : Marshal.GetLastPInvokeError();
        return submitted == 1;
    }

    private unsafe void Reap()
    {
        var events = (IoEvent*)NativeMemory.Alloc((nuint)(EventsPerReap * sizeof(IoEvent)));
        try
        {
            var timeout = new Timespec { Seconds = 0, Nanoseconds = ReaperPollNanoseconds };
            while (!_disposed || Volatile.Read(ref _inFlight) > 0)
            {
                var count = Syscall(SysIoGetEvents, (long)_context, 1, EventsPerReap, (long)events, (long)&timeout);
                if (count < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EInterrupted)
                    {
                        continue;
                    }

                    // The context is unusable; nothing in flight can complete any more. Not expected on a live context.
                    Environment.FailFast($"io_getevents failed on '{_name}': {NativeMethods.Describe(errno)}.");
                }

                for (var i = 0; i < count; i++)
                {
                    Complete(events[i]);
                }
            }
        }
        finally
        {
            NativeMemory.Free(events);
            Syscall(SysIoDestroy, (long)_context, 0, 0, 0, 0);
        }
    }

    private unsafe void Complete(in IoEvent completion)
    {
        var transfer = (Transfer)GCHandle.FromIntPtr((nint)completion.Data).Target!;
        Exception? failure = null;
        if (completion.Result < 0)
        {
            failure = new IOException($"{(transfer.Control->Command == CommandRead ? "Read" : "Write")} failed on '{_name}' at offset {transfer.Control->Offset}: {NativeMethods.Describe((int)-completion.Result)}.");
        }
        else if (completion.Result == 0)
        {
            failure = new IOException($"Unexpected end of device '{_name}' at offset {transfer.Control->Offset}.");
        }
        else if ((ulong)completion.Result < transfer.Control->Length)
        {
            transfer.Advance((ulong)completion.Result);
            if (Submit(_context, transfer, out var errno))
            {
                return;
            }

            failure = new IOException($"io_submit failed on '{_name}': {NativeMethods.Describe(errno)}.");
        }

        transfer.Release();
        Interlocked.Decrement(ref _inFlight);
        _slots.Release();
        if (failure is null)
        {
            transfer.TrySetResult();
        }
        else
        {
            transfer.TrySetException(failure);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long arg1, long arg2, long arg3, long arg4, long arg5);

    /// <summary>One transfer: its kernel control block (native memory), the pinned buffer and the handle the completion carries back.</summary>
    private sealed unsafe class Transfer : TaskCompletionSource
    {
        private readonly MemoryHandle _pin;
        private GCHandle _self;

        public Transfer(ushort command, int fd, long offset, Memory<byte> buffer)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            _pin = buffer.Pin();
            _self = GCHandle.Alloc(this);
            Control = (ControlBlock*)NativeMemory.AllocZeroed((nuint)sizeof(ControlBlock));
            Control->Data = (ulong)GCHandle.ToIntPtr(_self);
            Control->Command = command;
            Control->FileDescriptor = (uint)fd;
            Control->Buffer = (ulong)_pin.Pointer;
            Control->Length = (ulong)buffer.Length;
            Control->Offset = offset;
        }

        public ControlBlock* Control { get; }

        /// <summary>Moves past <paramref name="done"/> bytes of a short transfer.</summary>
        public void Advance(ulong done)
        {
            Control->Buffer += done;
            Control->Length -= done;
            Control->Offset += (long)done;
        }

        public void Release()
        {
            NativeMemory.Free(Control);
            _self.Free();
            _pin.Dispose();
        }
    }

    /// <summary>The kernel's <c>struct iocb</c> (x86-64, little-endian).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ControlBlock
    {
        public ulong Data;
        public uint Key;
        public int ReadWriteFlags;
        public ushort Command;
        public short RequestPriority;
        public uint FileDescriptor;
        public ulong Buffer;
        public ulong Length;
        public long Offset;
        public ulong Reserved;
        public uint Flags;
        public uint ResultFileDescriptor;
    }

    /// <summary>The kernel's <c>struct io_event</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoEvent
    {
        public ulong Data;
        public ulong ControlBlock;
        public long Result;
        public long Result2;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
