using ComIO.ApiService.Nodes;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>Key sets whose placement is skewed on purpose, to exercise the per-node share of a listing page.</summary>
public static class SkewedKeys
{
    /// <summary>
    /// Keys <c>k00000</c>, <c>k00001</c>, ... in order, chosen so that the range is one key on another node, then
    /// <paramref name="onFirstNode"/> keys on the first node (the other nodes' keys between them skipped), then three keys
    /// on other nodes.
    /// </summary>
    public static List<string> MostlyOnTheFirstNode(ClusterNodes nodes, string bucket, int onFirstNode)
    {
        var first = nodes.All[0].Id;
        var keys = new List<string>();
        var onFirst = 0;
        var elsewhereAfter = 0;
        for (var i = 0; elsewhereAfter < 3; i++)
        {
            var key = $"k{i:D5}";
            var isOnFirst = nodes.OwnerOf(bucket, key).Id == first;
            if (keys.Count == 0)
            {
                if (!isOnFirst)
                {
                    keys.Add(key);
                }
            }
            else if (onFirst < onFirstNode)
            {
                if (isOnFirst)
                {
                    keys.Add(key);
                    onFirst++;
                }
            }
            else if (!isOnFirst)
            {
                keys.Add(key);
                elsewhereAfter++;
            }
        }

        return keys;
    }
}
