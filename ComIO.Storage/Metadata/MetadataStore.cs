using ComIO.Storage.Allocation;
using RocksDbSharp;

namespace ComIO.Storage.Metadata;

/// <summary>
/// RocksDB-backed metadata: device identity, buckets, object records, multipart uploads and parts (see <see cref="MetadataKeys"/>).
/// Reads are thread-safe; all writes go through <see cref="Write"/> from the single group-commit loop.
/// </summary>
internal sealed class MetadataStore : IDisposable
{
    private readonly RocksDb _db;
    private readonly WriteOptions _syncWrite = new WriteOptions().SetSync(true);
    private readonly ReadOptions _pointRead = new();
    private long _listSteps;

    /// <summary>See <see cref="Open"/>: the shortest run of point tombstones a scan turns into one range tombstone.</summary>
    internal const uint TombstoneRunForRangeConversion = 32;

    /// <summary>
    /// Write-ahead log files kept, once their memtable is flushed, to be overwritten by later logs instead of deleted.
    /// Every commit ends in an fdatasync of the log. Appending to a fresh file grows it, so each of those syncs also
    /// writes the inode back (an ext4 journal commit); overwriting a recycled file's allocated blocks does not. RocksDB
    /// tags each record of a recycled log with the log's number, and recovery stops at the first record of an older
    /// use, in the default point-in-time recovery mode too (fixed upstream by RocksDB pull request 12403; we run
    /// 11.12). The store never writes without the WAL, which recycling would not allow. One file serves the switch to
    /// the next memtable; the second covers a switch that comes while the previous flush still runs. Cost: up to two
    /// memtables' worth of log (2 × 64 MiB) stay on disk. <c>WalRecyclingTests</c> recovers a crash image of a recycled log.
    /// </summary>
    internal const ulong WalFilesKeptForReuse = 2;

    /// <summary>
    /// Table files (memtable flushes, compactions) are handed to the kernel for writeback every this many bytes
    /// (RocksDB's <c>bytes_per_sync</c>, <c>sync_file_range</c> on Linux), not left dirty in the page cache until the file's
    /// closing fsync. Without it a flush or compaction ends in a burst of up to a whole file's worth of writeback (64 MiB),
    /// and every commit's WAL fdatasync that lands behind that burst waits for it: with 32 writers of 4 KiB inline objects
    /// the slowest 0.1 % of PUTs took 24 ms instead of 15 ms (medians of 8 rounds). The WAL is not affected; each commit
    /// syncs it anyway.
    /// </summary>
    internal const ulong TableBytesPerSync = 1024 * 1024;

    private MetadataStore(RocksDb db, string path)
    {
        _db = db;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Iterator positions visited by listings (objects, uploads, parts) so far (lets tests prove listing is O(page)).</summary>
    public long ListSteps => Interlocked.Read(ref _listSteps);

    /// <summary>
    /// Entries in the active memtable: written records and tombstones, and the range tombstones scans derive from runs
    /// of deleted keys (see <see cref="Open"/>), so a scan that adds one raises the count with no write.
    /// </summary>
    public long MemtableEntries => long.Parse(_db.GetProperty("rocksdb.num-entries-active-mem-table"), System.Globalization.CultureInfo.InvariantCulture);

    public static MetadataStore Open(string path)
    {
        Directory.CreateDirectory(path);
        // Whole-key Bloom filters (10 bits per key, ~1 % false positives): most point reads are for records that
        // no SST file holds (a new key's current record during a PUT's commit, a missing key on GET or HEAD), and
        // without a filter each of those searches the index of every L0 file and of one file per level.
        var table = new BlockBasedTableOptions()
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetWholeKeyFiltering(true);
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetParanoidChecks(true)
            .SetBlockBasedTableFactory(table)
            .SetRecycleLogFileNum(WalFilesKeptForReuse)
            .SetBytesPerSync(TableBytesPerSync);
        // A scan that steps over a run of this many point tombstones (keys deleted, their values not yet compacted
        // away) records one range tombstone covering the run, so later listings skip the run in one seek instead of
        // stepping over every deleted key again until compaction drops them. Deleting a prefix's first N keys
        // (expiry of the oldest objects, a drained queue) otherwise makes every page of that prefix cost O(N).
        Native.Instance.rocksdb_options_set_min_tombstones_for_range_conversion(options.Handle, TombstoneRunForRangeConversion);
        return new MetadataStore(RocksDb.Open(options, path), path);
    }

    /// <summary>The device this store belongs to and the store's own id, or null for a new store.</summary>
    public (Guid DeviceId, Guid StoreId)? GetIdentity()
    {
        var value = _db.Get(MetadataKeys.DeviceIdentity);
        return value is null ? null : RecordSerializer.DeserializeIdentity(value);
    }

    public bool IsEmpty()
    {
        using var iterator = _db.NewIterator();
        iterator.SeekToFirst();
        return !iterator.Valid();
    }

    public void SetIdentity(Guid deviceId, Guid storeId)
    {
        using var batch = new WriteBatch();
        batch.Put(MetadataKeys.DeviceIdentity, RecordSerializer.SerializeIdentity(deviceId, storeId));
        Write(batch);
    }

    /// <summary>Reads one object record; with <paramref name="includeData"/> false, chunk CRCs and inline data are skipped.</summary>
    public ObjectRecord? GetObject(string bucket, string key, bool includeData = true)
    {
        return ReadObject(MetadataKeys.Object(bucket, key), bucket, key, includeData);
    }

    /// <summary>
    /// The object record stored under <paramref name="storageKey"/>, decoded straight from RocksDB's copy of the value
    /// (no managed copy of it: a 4 KiB object's record is read on every GET and HEAD); null when absent.
    /// </summary>
    private unsafe ObjectRecord? ReadObject(byte[] storageKey, string bucket, string key, bool includeData)
    {
        var value = Native.Instance.rocksdb_get(_db.Handle, _pointRead.Handle, storageKey, (UIntPtr)storageKey.Length, out var length, out var error);
        if (error != IntPtr.Zero)
        {
            throw new RocksDbException(error);
        }

        if (value == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return RecordSerializer.DeserializeObject(bucket, key, new ReadOnlySpan<byte>((void*)value, checked((int)length)), includeData);
        }
        finally
        {
            Native.Instance.rocksdb_free(value);
        }
    }

    /// <summary>The payload of one document record (bucket setting or system document), or null when absent.</summary>
    public byte[]? GetDocument(byte[] key, string what)
    {
        var value = _db.Get(key);
        return value is null ? null : RecordSerializer.DeserializeDocument(value, what);
    }

    /// <summary>Every document under <paramref name="rangePrefix"/> as (name after the prefix, payload), in name order.</summary>
    public List<KeyValuePair<string, byte[]>> ListDocuments(byte[] rangePrefix, string what)
    {
        var result = new List<KeyValuePair<string, byte[]>>();
        using var iterator = _db.NewIterator();
        for (iterator.Seek(rangePrefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(rangePrefix))
            {
                break;
            }

            result.Add(new(MetadataKeys.ParseSuffix(key, rangePrefix.Length), RecordSerializer.DeserializeDocument(iterator.GetValueSpan(), what)));
        }

        return result;
    }

    /// <summary>The keys of every record under <paramref name="rangePrefix"/>.</summary>
    public List<byte[]> ListKeys(byte[] rangePrefix)
    {
        var result = new List<byte[]>();
        using var iterator = _db.NewIterator();
        for (iterator.Seek(rangePrefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(rangePrefix))
            {
                break;
            }

            result.Add(key.ToArray());
        }

        return result;
    }

    public BucketRecord? GetBucket(string bucket)
    {
        var value = _db.Get(MetadataKeys.Bucket(bucket));
        return value is null ? null : RecordSerializer.DeserializeBucket(bucket, value);
    }

    public List<BucketRecord> LoadBuckets()
    {
        var result = new List<BucketRecord>();
        using var iterator = _db.NewIterator();
        for (iterator.Seek(MetadataKeys.BucketPrefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(MetadataKeys.BucketPrefix))
            {
                break;
            }

            var name = MetadataKeys.ParseBucket(key);
            result.Add(RecordSerializer.DeserializeBucket(name, iterator.GetValueSpan()));
        }

        return result;
    }

    /// <summary>True if any object record exists in <paramref name="bucket"/>.</summary>
    public bool HasObjects(string bucket)
    {
        var prefix = MetadataKeys.ObjectsOf(bucket);
        using var iterator = _db.NewIterator();
        iterator.Seek(prefix);
        return iterator.Valid() && iterator.GetKeySpan().StartsWith(prefix);
    }

    /// <summary>Visits every object record from a snapshot (metadata and extents; no chunk CRCs or inline data). Used at start-up and by scrub.</summary>
    public IEnumerable<ObjectRecord> ScanObjects()
    {
        using var snapshot = _db.CreateSnapshot();
        var readOptions = new ReadOptions().SetSnapshot(snapshot);
        using var iterator = _db.NewIterator(readOptions: readOptions);
        for (iterator.Seek(MetadataKeys.ObjectPrefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(MetadataKeys.ObjectPrefix))
            {
                break;
            }

            var (bucket, objectKey) = MetadataKeys.ParseObject(key);
            yield return RecordSerializer.DeserializeObject(bucket, objectKey, iterator.GetValueSpan(), includeData: false);
        }
    }

    /// <summary>
    /// Keys of <paramref name="bucket"/> greater than <paramref name="startAfter"/> starting with <paramref name="prefix"/>,
    /// at most <paramref name="maxKeys"/>, in bytewise order. Costs one Seek plus <c>maxKeys + 1</c> steps.
    /// </summary>
    /// <param name="summary">How far each record is decoded; null: all of its metadata.</param>
    public ObjectListing List(string bucket, string? prefix, string? startAfter, int maxKeys, ListingSummary? summary = null)
    {
        var rangePrefix = MetadataKeys.ObjectsOf(bucket, prefix);
        var seek = rangePrefix;
        if (startAfter is not null)
        {
            var after = MetadataKeys.Object(bucket, startAfter);
            var successor = new byte[after.Length + 1];
            after.CopyTo(successor, 0);
            if (successor.AsSpan().SequenceCompareTo(seek) > 0)
            {
                seek = successor;
            }
        }

        var (objects, truncated) = ScanPage(rangePrefix, seek, maxKeys, (key, value) =>
            RecordSerializer.DeserializeListed(bucket, MetadataKeys.ParseObject(key).Key, value, summary));
        return new ObjectListing { Objects = objects, IsTruncated = truncated };
    }

    /// <summary>Decodes one entry of a key range.</summary>
    private delegate T EntryDecoder<out T>(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Tells whether a key inside the range belongs to the listing.</summary>
    private delegate bool KeyFilter(ReadOnlySpan<byte> key);

    /// <summary>
    /// One bounded page of the keys that start with <paramref name="rangePrefix"/>, from <paramref name="seek"/> on: one
    /// Seek plus at most <paramref name="max"/> + 1 steps (the extra step only tells whether more follow). Stops at the
    /// first key outside the range or rejected by <paramref name="belongs"/>.
    /// </summary>
    private (List<T> Items, bool Truncated) ScanPage<T>(byte[] rangePrefix, byte[] seek, int max, EntryDecoder<T> decode, KeyFilter? belongs = null)
    {
        var items = new List<T>(Math.Clamp(max, 0, 1000));
        using var iterator = _db.NewIterator();
        for (iterator.Seek(seek); iterator.Valid(); iterator.Next())
        {
            Interlocked.Increment(ref _listSteps);
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(rangePrefix) || (belongs is not null && !belongs(key)))
            {
                break;
            }

            if (items.Count >= max)
            {
                return (items, true);
            }

            items.Add(decode(key, iterator.GetValueSpan()));
        }

        return (items, false);
    }

    /// <summary>
    /// Finds a version by public id: the current data version (<c>o\0</c>) or a noncurrent version or delete marker
    /// (<c>v\0</c>). Returns the record and the metadata key it is stored under (null record = no such version).
    /// Two point reads at most.
    /// </summary>
    public (ObjectRecord? Record, byte[] StorageKey) FindVersion(string bucket, string key, string versionId, bool includeData)
    {
        var objectKey = MetadataKeys.Object(bucket, key);
        var current = ReadObject(objectKey, bucket, key, includeData);
        if (current is not null && current.VersionId == versionId)
        {
            return (current, objectKey);
        }

        var slot = versionId == VersionIds.Null ? GetNullSlot(bucket, key) : versionId;
        if (slot is null || slot == VersionIds.Null || !VersionIds.IsWellFormed(slot))
        {
            return (null, objectKey);
        }

        var version = GetVersion(bucket, key, slot, includeData);
        return version is not null && version.VersionId == versionId ? (version, MetadataKeys.Version(bucket, key, slot)) : (null, objectKey);
    }

    /// <summary>One noncurrent version or delete marker stored at <paramref name="slot"/>, or null.</summary>
    public ObjectRecord? GetVersion(string bucket, string key, string slot, bool includeData)
    {
        return ReadObject(MetadataKeys.Version(bucket, key, slot), bucket, key, includeData);
    }

    /// <summary>
    /// The newest noncurrent version or delete marker of <paramref name="key"/> other than <paramref name="skipSlot"/>:
    /// one Seek plus at most two steps.
    /// </summary>
    public ObjectRecord? NewestVersion(string bucket, string key, string? skipSlot, bool includeData)
    {
        var prefix = MetadataKeys.VersionsOfKey(bucket, key);
        using var iterator = _db.NewIterator();
        for (iterator.Seek(prefix); iterator.Valid(); iterator.Next())
        {
            var raw = iterator.GetKeySpan();
            if (!raw.StartsWith(prefix) || raw.Length != prefix.Length + VersionIds.Length)
            {
                return null;
            }

            var (_, _, slot) = MetadataKeys.ParseVersion(raw);
            if (slot != skipSlot)
            {
                return RecordSerializer.DeserializeObject(bucket, key, iterator.GetValueSpan(), includeData);
            }
        }

        return null;
    }

    /// <summary>The slot of the key's noncurrent null version (or null delete marker), or null when there is none.</summary>
    public string? GetNullSlot(string bucket, string key)
    {
        var value = _db.Get(MetadataKeys.NullVersion(bucket, key));
        return value is null ? null : System.Text.Encoding.ASCII.GetString(RecordSerializer.DeserializeDocument(value, "null version pointer"));
    }

    /// <summary>True if any noncurrent version or delete marker exists in <paramref name="bucket"/>.</summary>
    public bool HasVersions(string bucket)
    {
        var prefix = MetadataKeys.VersionsOf(bucket);
        using var iterator = _db.NewIterator();
        iterator.Seek(prefix);
        return iterator.Valid() && iterator.GetKeySpan().StartsWith(prefix);
    }

    /// <summary>Visits every noncurrent version and delete marker from a snapshot (no chunk CRCs or inline data). Start-up and scrub.</summary>
    public IEnumerable<ObjectRecord> ScanVersions()
    {
        using var snapshot = _db.CreateSnapshot();
        var readOptions = new ReadOptions().SetSnapshot(snapshot);
        using var iterator = _db.NewIterator(readOptions: readOptions);
        for (iterator.Seek(MetadataKeys.VersionPrefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(MetadataKeys.VersionPrefix))
            {
                break;
            }

            var (bucket, objectKey, _) = MetadataKeys.ParseVersion(key);
            yield return RecordSerializer.DeserializeObject(bucket, objectKey, iterator.GetValueSpan(), includeData: false);
        }
    }

    /// <summary>
    /// Versions and delete markers of <paramref name="bucket"/> whose key starts with <paramref name="prefix"/>, in S3 order
    /// (key ascending, newest first), after the S3 markers: with <paramref name="keyMarker"/> alone, keys strictly after
    /// it; with <paramref name="versionIdMarker"/> too, the versions of <paramref name="keyMarker"/> older than that one
    /// first. Merges the current versions (<c>o\0</c>) with the noncurrent ones (<c>v\0</c>): two Seeks plus about
    /// <c>maxVersions + 2</c> steps.
    /// </summary>
    /// <param name="summary">How far each record is decoded; null: all of its metadata.</param>
    public ObjectVersionListing ListVersions(string bucket, string? prefix, string? keyMarker, string? versionIdMarker, int maxVersions, ListingSummary? summary = null)
    {
        var objectRange = MetadataKeys.ObjectsOf(bucket, prefix);
        var versionRange = MetadataKeys.VersionsOf(bucket, prefix);
        var objectSeek = objectRange;
        var versionSeek = versionRange;
        byte[]? resumeKey = null;
        var resumeHasCurrent = false;
        if (keyMarker is not null)
        {
            var afterObject = Successor(MetadataKeys.Object(bucket, keyMarker));
            var afterVersions = MetadataKeys.VersionsOfKey(bucket, keyMarker);
            afterVersions[^1] = 1;
            if (versionIdMarker is not null)
            {
                var current = GetObject(bucket, keyMarker, includeData: false);
                string? slot = null;
                if (current is not null && current.VersionId == versionIdMarker)
                {
                    afterVersions = MetadataKeys.VersionsOfKey(bucket, keyMarker);
                    resumeKey = System.Text.Encoding.UTF8.GetBytes(keyMarker);
                }
                else if ((slot = versionIdMarker == VersionIds.Null ? GetNullSlot(bucket, keyMarker) : versionIdMarker) is not null && VersionIds.IsWellFormed(slot))
                {
                    afterVersions = Successor(MetadataKeys.Version(bucket, keyMarker, slot));
                    resumeKey = System.Text.Encoding.UTF8.GetBytes(keyMarker);
                }

                resumeHasCurrent = current is not null;
            }

            objectSeek = Max(objectSeek, afterObject);
            versionSeek = Max(versionSeek, afterVersions);
        }

        var results = new List<ObjectRecord>(Math.Clamp(maxVersions, 0, 1000));
        var keyOffset = MetadataKeys.ObjectsOf(bucket).Length;
        // One snapshot for both iterators: a write between them (a PUT moving the current version to the noncurrent
        // ones) would otherwise show that version twice, or not at all.
        using var snapshot = _db.CreateSnapshot();
        var readOptions = new ReadOptions().SetSnapshot(snapshot);
        using var objects = _db.NewIterator(readOptions: readOptions);
        using var versions = _db.NewIterator(readOptions: readOptions);
        objects.Seek(objectSeek);
        versions.Seek(versionSeek);
        byte[]? lastKey = resumeKey;
        var lastKeyHasCurrent = resumeHasCurrent;
        var lastKeyHadVersion = resumeKey is not null;
        while (true)
        {
            Interlocked.Increment(ref _listSteps);
            var objectKey = objects.Valid() && objects.GetKeySpan().StartsWith(objectRange) ? objects.GetKeySpan()[keyOffset..] : default;
            var hasObject = objects.Valid() && objects.GetKeySpan().StartsWith(objectRange);
            var hasVersion = versions.Valid() && versions.GetKeySpan().StartsWith(versionRange);
            var versionKey = hasVersion ? versions.GetKeySpan()[keyOffset..^(VersionIds.Length + 1)] : default;
            if (!hasObject && !hasVersion)
            {
                return new ObjectVersionListing { Versions = results, IsTruncated = false };
            }

            if (results.Count >= maxVersions)
            {
                return new ObjectVersionListing { Versions = results, IsTruncated = true };
            }

            if (hasObject && (!hasVersion || objectKey.SequenceCompareTo(versionKey) <= 0))
            {
                var (_, key) = MetadataKeys.ParseObject(objects.GetKeySpan());
                results.Add(RecordSerializer.DeserializeListed(bucket, key, objects.GetValueSpan(), summary).WithLatest(true));
                lastKey = objectKey.ToArray();
                lastKeyHasCurrent = true;
                lastKeyHadVersion = true;
                objects.Next();
                continue;
            }

            var (_, versionObjectKey, _) = MetadataKeys.ParseVersion(versions.GetKeySpan());
            var sameKey = lastKey is not null && versionKey.SequenceEqual(lastKey);
            var isLatest = !(sameKey && (lastKeyHasCurrent || lastKeyHadVersion));
            results.Add(RecordSerializer.DeserializeListed(bucket, versionObjectKey, versions.GetValueSpan(), summary).WithLatest(isLatest));
            if (!sameKey)
            {
                lastKey = versionKey.ToArray();
                lastKeyHasCurrent = false;
            }

            lastKeyHadVersion = true;
            versions.Next();
        }
    }

    private static byte[] Successor(byte[] key)
    {
        var successor = new byte[key.Length + 1];
        key.CopyTo(successor, 0);
        return successor;
    }

    private static byte[] Max(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b) >= 0 ? a : b;

    /// <summary>Outbox entries with sequence greater than <paramref name="afterSequence"/>, oldest first.</summary>
    public List<OutboxEntry> ReadOutbox(long afterSequence, int maxEntries)
    {
        var result = new List<OutboxEntry>(Math.Clamp(maxEntries, 0, 1024));
        using var iterator = _db.NewIterator();
        for (iterator.Seek(MetadataKeys.Outbox(Math.Max(0, afterSequence + 1))); iterator.Valid() && result.Count < maxEntries; iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(MetadataKeys.OutboxPrefix))
            {
                break;
            }

            result.Add(RecordSerializer.DeserializeOutbox(MetadataKeys.ParseOutbox(key), iterator.GetValueSpan()));
        }

        return result;
    }

    /// <summary>The highest outbox sequence in use and the number of entries (start-up).</summary>
    public (long LastSequence, long Count) ScanOutbox()
    {
        long last = 0;
        long count = 0;
        using var iterator = _db.NewIterator();
        for (iterator.Seek(MetadataKeys.OutboxPrefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(MetadataKeys.OutboxPrefix))
            {
                break;
            }

            last = MetadataKeys.ParseOutbox(key);
            count++;
        }

        var highWater = _db.Get(MetadataKeys.OutboxHighWater);
        if (highWater is { Length: 8 })
        {
            last = Math.Max(last, System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(highWater));
        }

        return (last, count);
    }

    public MultipartUpload? GetUpload(string bucket, string key, string uploadId)
    {
        var value = _db.Get(MetadataKeys.Upload(bucket, key, uploadId));
        return value is null ? null : RecordSerializer.DeserializeUpload(bucket, key, uploadId, value);
    }

    public PartRecord? GetPart(string uploadId, int partNumber, bool includeData = true)
    {
        var value = _db.Get(MetadataKeys.Part(uploadId, partNumber));
        return value is null ? null : RecordSerializer.DeserializePart(partNumber, value, includeData);
    }

    /// <summary>
    /// Parts of <paramref name="uploadId"/> with numbers above <paramref name="afterPartNumber"/>, in order, at most
    /// <paramref name="maxParts"/> (int.MaxValue = all). One Seek plus <c>maxParts + 1</c> steps.
    /// </summary>
    public (List<PartRecord> Parts, bool Truncated) ListParts(string uploadId, int afterPartNumber, int maxParts, bool includeData)
    {
        var prefix = MetadataKeys.PartsOf(uploadId);
        // Part keys are the prefix plus a 4-byte part number; anything longer belongs to another upload id.
        return ScanPage(prefix, MetadataKeys.Part(uploadId, Math.Max(0, afterPartNumber) + 1), maxParts,
            (key, value) => RecordSerializer.DeserializePart(MetadataKeys.ParsePartNumber(key), value, includeData),
            key => key.Length == prefix.Length + 4);
    }

    /// <summary>
    /// Uploads of <paramref name="bucket"/> whose key starts with <paramref name="prefix"/>, after the S3 markers: with
    /// <paramref name="keyMarker"/> alone, keys strictly after it; with both markers, also the uploads of
    /// <paramref name="keyMarker"/> whose id sorts after <paramref name="uploadIdMarker"/>. One Seek plus
    /// <c>maxUploads + 1</c> steps.
    /// </summary>
    public UploadListing ListUploads(string bucket, string? prefix, string? keyMarker, string? uploadIdMarker, int maxUploads)
    {
        var rangePrefix = MetadataKeys.UploadsOf(bucket, prefix);
        var seek = rangePrefix;
        if (keyMarker is not null)
        {
            byte[] after;
            if (uploadIdMarker is not null)
            {
                // The first key after (keyMarker, uploadIdMarker): that key plus a NUL byte.
                var marker = MetadataKeys.Upload(bucket, keyMarker, uploadIdMarker);
                after = new byte[marker.Length + 1];
                marker.CopyTo(after, 0);
            }
            else
            {
                // Skip every upload of keyMarker itself ("keyMarker\0id"): continue at "keyMarker\x01".
                after = MetadataKeys.UploadsOfKey(bucket, keyMarker);
                after[^1] = 1;
            }

            if (after.AsSpan().SequenceCompareTo(seek) > 0)
            {
                seek = after;
            }
        }

        var (uploads, truncated) = ScanPage(rangePrefix, seek, maxUploads, (key, value) =>
        {
            var (_, objectKey, uploadId) = MetadataKeys.ParseUpload(key);
            return RecordSerializer.DeserializeUpload(bucket, objectKey, uploadId, value);
        });
        return new UploadListing { Uploads = uploads, IsTruncated = truncated };
    }

    /// <summary>Every upload of <paramref name="bucket"/> (bucket deletion).</summary>
    public List<MultipartUpload> LoadUploads(string bucket) => ListUploads(bucket, null, null, null, int.MaxValue).Uploads.ToList();

    /// <summary>The extents of every part record (start-up: they are in use).</summary>
    public IEnumerable<Extent[]> ScanPartExtents()
    {
        using var snapshot = _db.CreateSnapshot();
        var readOptions = new ReadOptions().SetSnapshot(snapshot);
        using var iterator = _db.NewIterator(readOptions: readOptions);
        for (iterator.Seek(MetadataKeys.PartPrefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(MetadataKeys.PartPrefix))
            {
                break;
            }

            yield return RecordSerializer.DeserializePart(MetadataKeys.ParsePartNumber(key), iterator.GetValueSpan(), includeData: false).Data.Extents;
        }
    }

    public bool HasKey(byte[] key) => _db.Get(key) is not null;

    /// <summary>Writes the memtable to a table file and starts a new write-ahead log (tests: log switches on demand).</summary>
    internal void FlushMemtable() => _db.Flush(new FlushOptions().SetWaitForFlush(true));

    /// <summary>Applies <paramref name="batch"/> atomically and durably (WAL fsync).</summary>
    public void Write(WriteBatch batch) => _db.Write(batch, _syncWrite);

    public void Dispose() => _db.Dispose();
}
