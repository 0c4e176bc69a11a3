using System.Runtime.InteropServices;

namespace ComIO.Storage.Devices;

internal static partial class NativeMethods
{
    public const int ORdWr = 0x2;
    public const int ODirect = 0x4000;
    public const int OCloExec = 0x80000;
    public const int SeekEnd = 2;
    public const ulong BlkGetSize64 = 0x80081272;
    public const ulong BlkSszGet = 0x1268;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int EWouldBlock = 11;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    public static partial int FDataSync(int fd);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlUInt64(int fd, ulong request, out ulong value);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlInt32(int fd, ulong request, out int value);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int FLock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "strerror")]
    public static partial nint StrError(int errno);

    public static string Describe(int errno) => $"errno {errno} ({Marshal.PtrToStringUTF8(StrError(errno))})";
}
