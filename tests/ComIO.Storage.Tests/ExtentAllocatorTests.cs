using ComIO.Storage.Allocation;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ComIO.Storage.Tests;

public sealed class ExtentAllocatorTests
{
    private const int Block = 4096;

    [Fact]
    public void TryAllocate_ReturnsOneContiguousExtent_WhenSpaceIsUnfragmented()
    {
        var allocator = new ExtentAllocator(Block, 1024L * Block, Block);
        Assert.True(allocator.TryAllocate(1000L * Block - 5, out var extents));
        Assert.Equal([new Extent(Block, 1000L * Block)], extents);
        Assert.Equal(23L * Block, allocator.FreeBytes);
    }

    [Fact]
    public void TryAllocate_ReturnsFalse_WhenNotEnoughSpace()
    {
        var allocator = new ExtentAllocator(0, 10L * Block, Block);
        Assert.False(allocator.TryAllocate(11L * Block, out var none));
        Assert.Empty(none);
        Assert.Equal(10L * Block, allocator.FreeBytes);
    }

    [Fact]
    public void TryAllocate_UsesLargestExtentsFirst_WhenFragmented()
    {
        var allocator = ExtentAllocator.Rebuild(0, 100L * Block, Block, [new Extent(10L * Block, Block), new Extent(50L * Block, Block)]);
        Assert.True(allocator.TryAllocate(60L * Block, out var extents));
        Assert.Equal(2, extents.Length);
        Assert.Equal(60L * Block, extents.Sum(e => e.Length));
        Assert.Equal(38L * Block, allocator.FreeBytes);
    }

    [Fact]
    public void Free_CoalescesNeighbours_AndRejectsDoubleFree()
    {
        var allocator = new ExtentAllocator(0, 30L * Block, Block);
        allocator.TryAllocate(10L * Block, out var a);
        allocator.TryAllocate(10L * Block, out var b);
        allocator.TryAllocate(10L * Block, out var c);
        allocator.Free(a);
        allocator.Free(c);
        Assert.Equal(2, allocator.FreeExtentCount);
        allocator.Free(b);
        Assert.Equal([new Extent(0, 30L * Block)], allocator.GetFreeExtents());
        Assert.Throws<InvalidOperationException>(() => allocator.Free(b));
    }

    [Fact]
    public void Rebuild_Throws_WhenUsedExtentsOverlap()
    {
        Assert.Throws<InvalidDataException>(() => ExtentAllocator.Rebuild(0, 100L * Block, Block, [new Extent(0, 2L * Block), new Extent(Block, Block)]));
        Assert.Throws<InvalidDataException>(() => ExtentAllocator.Rebuild(0, 100L * Block, Block, [new Extent(99L * Block, 2L * Block)]));
    }

    /// <summary>Random allocate/free sequences: live extents never overlap, accounting balances, freeing all restores one extent.</summary>
    [Property(MaxTest = 200)]
    public bool AllocateAndFree_NeverShareBlocks_AndReuseFreedSpace(int[] operations)
    {
        const long Blocks = 256;
        var allocator = new ExtentAllocator(Block, (Blocks + 1) * Block, Block);
        var live = new List<Extent[]>();
        foreach (var operation in operations ?? [])
        {
            if (operation >= 0 || live.Count == 0)
            {
                var size = ((long)(Math.Abs(operation % 40) + 1) * Block) - (operation & 7);
                if (allocator.TryAllocate(size, out var extents))
                {
                    live.Add(extents);
                }
                else if (allocator.FreeBytes >= size + Block)
                {
                    return false; // refused although enough space was free
                }
            }
            else
            {
                var index = (int)((uint)operation % (uint)live.Count);
                allocator.Free(live[index]);
                live.RemoveAt(index);
            }

            var all = live.SelectMany(e => e).OrderBy(e => e.Offset).ToList();
            for (var i = 1; i < all.Count; i++)
            {
                if (all[i - 1].End > all[i].Offset)
                {
                    return false;
                }
            }

            if (all.Sum(e => e.Length) + allocator.FreeBytes != Blocks * Block)
            {
                return false;
            }

            var rebuilt = ExtentAllocator.Rebuild(Block, (Blocks + 1) * Block, Block, all);
            if (rebuilt.FreeBytes != allocator.FreeBytes)
            {
                return false;
            }
        }

        foreach (var extents in live)
        {
            allocator.Free(extents);
        }

        return allocator.FreeExtentCount == 1 && allocator.TryAllocate(Blocks * Block, out var whole) && whole.Length == 1;
    }

    [Property(MaxTest = 100)]
    public Property TryAllocate_CoversRequestedBytes_InBlockMultiples(PositiveInt bytes)
    {
        var allocator = new ExtentAllocator(0, 1L << 30, Block);
        var ok = allocator.TryAllocate(bytes.Get, out var extents);
        var total = extents.Sum(e => e.Length);
        return (ok && total >= bytes.Get && total - bytes.Get < Block && extents.All(e => e.Offset % Block == 0 && e.Length % Block == 0)).ToProperty();
    }
}
