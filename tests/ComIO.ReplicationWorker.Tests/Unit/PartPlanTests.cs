using ComIO.ReplicationWorker.Copying;

namespace ComIO.ReplicationWorker.Tests.Unit;

public sealed class PartPlanTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void For_CutsEqualParts_WithAShorterLastOne()
    {
        var plan = PartPlan.For(100 * MiB + 1, 16 * MiB);

        Assert.Equal(7, plan.PartCount);
        Assert.Equal(16 * MiB, plan.Length(1));
        Assert.Equal(96 * MiB, plan.Offset(7));
        Assert.Equal(4 * MiB + 1, plan.Length(7));
        Assert.Equal(100 * MiB + 1, Enumerable.Range(1, plan.PartCount).Sum(plan.Length));
    }

    [Fact]
    public void For_EnlargesParts_SoNoObjectNeedsMoreThanTenThousand()
    {
        var fiveTiB = 5L * 1024 * 1024 * MiB;

        var plan = PartPlan.For(fiveTiB, 16 * MiB);

        Assert.True(plan.PartCount <= PartPlan.MaxParts);
        Assert.Equal(0, plan.PartSize % MiB);
        Assert.Equal(fiveTiB, Enumerable.Range(1, plan.PartCount).Sum(plan.Length));
    }

    [Fact]
    public void For_ExactMultiple_HasNoEmptyLastPart()
    {
        var plan = PartPlan.For(64 * MiB, 16 * MiB);

        Assert.Equal(4, plan.PartCount);
        Assert.Equal(16 * MiB, plan.Length(4));
    }

    [Fact]
    public void For_KeepsThePreferredSize_WhenItNeedsFewerThanTenThousandParts()
    {
        Assert.Equal(256 * 1024, PartPlan.For(1_000_000, 256 * 1024).PartSize);
        Assert.Equal(16 * MiB, PartPlan.For(10_000 * 16 * MiB, 16 * MiB).PartSize);
        Assert.Equal(17 * MiB, PartPlan.For(10_000 * 16 * MiB + 1, 16 * MiB).PartSize);
    }
}
