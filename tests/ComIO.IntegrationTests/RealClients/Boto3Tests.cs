using System.Security.Cryptography;
using System.Text.Json;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.RealClients;

/// <summary>
/// Drives ComIO with Debian's boto3 (<c>/usr/bin/python3</c> + <c>python3-boto3</c>, botocore 1.29): the script
/// prints one JSON document of everything it saw and the test asserts on it exactly.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class Boto3Tests(TopologyFixture topology)
{
    private const string Python = "/usr/bin/python3";
    private const string BigKey = "docs/report 2026 ü.bin";

    // The script reads its inputs from the environment and writes one JSON object to stdout. Every S3 call is made
    // once (retries max_attempts=1) with path-style addressing, SigV4.
    private const string Script = """
        import base64, hashlib, json, os, sys
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        bucket = os.environ['COMIO_BUCKET']
        big_key = os.environ['COMIO_BIG_KEY']
        with open(os.environ['COMIO_PAYLOAD'], 'rb') as f:
            payload = f.read()

        s3 = boto3.client(
            's3',
            endpoint_url=os.environ['COMIO_ENDPOINT'],
            aws_access_key_id=os.environ['COMIO_ACCESS_KEY'],
            aws_secret_access_key=os.environ['COMIO_SECRET_KEY'],
            region_name='us-east-1',
            config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}, retries={'max_attempts': 1}),
        )
        out = {'botocore': __import__('botocore').__version__}

        def status(resp):
            return resp['ResponseMetadata']['HTTPStatusCode']

        def error(call):
            try:
                call()
                return None
            except ClientError as e:
                return {'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'code': e.response['Error']['Code']}

        out['create_bucket'] = status(s3.create_bucket(Bucket=bucket))

        put = s3.put_object(Bucket=bucket, Key=big_key, Body=payload, ContentType='application/x-comio-test',
                            Metadata={'owner': 'boto3', 'purpose': 'round-trip'})
        out['put'] = {'status': status(put), 'etag': put['ETag']}
        small = ['a.txt', 'docs/x.txt', 'docs/y.txt', 'docs/sub/z.txt', 'img/1.png', 'img/2.png', 'zeta é.txt']
        for k in small:
            s3.put_object(Bucket=bucket, Key=k, Body=k.encode('utf-8'))

        full = s3.get_object(Bucket=bucket, Key=big_key)
        body = full['Body'].read()
        out['get'] = {'status': status(full), 'length': len(body), 'md5': hashlib.md5(body).hexdigest(),
                      'etag': full['ETag'], 'content_type': full['ContentType'], 'metadata': full['Metadata'],
                      'content_length': full['ContentLength']}

        rng = s3.get_object(Bucket=bucket, Key=big_key, Range='bytes=100-199')
        out['range'] = {'status': status(rng), 'content_range': rng['ContentRange'], 'content_length': rng['ContentLength'],
                        'body': base64.b64encode(rng['Body'].read()).decode()}
        suffix = s3.get_object(Bucket=bucket, Key=big_key, Range='bytes=-10')
        out['suffix_range'] = {'status': status(suffix), 'content_range': suffix['ContentRange'],
                               'body': base64.b64encode(suffix['Body'].read()).decode()}

        head = s3.head_object(Bucket=bucket, Key=big_key)
        out['head'] = {'status': status(head), 'content_length': head['ContentLength'], 'etag': head['ETag'],
                       'content_type': head['ContentType'], 'metadata': head['Metadata'],
                       'has_last_modified': 'LastModified' in head}
        out['head_missing'] = error(lambda: s3.head_object(Bucket=bucket, Key='no/such/key'))
        out['get_missing'] = error(lambda: s3.get_object(Bucket=bucket, Key='no/such/key'))

        def listing(**kw):
            r = s3.list_objects_v2(Bucket=bucket, **kw)
            return {'keys': [o['Key'] for o in r.get('Contents', [])],
                    'prefixes': [p['Prefix'] for p in r.get('CommonPrefixes', [])],
                    'key_count': r['KeyCount'], 'truncated': r['IsTruncated']}

        out['list_root'] = listing(Delimiter='/')
        out['list_docs'] = listing(Delimiter='/', Prefix='docs/')
        out['list_all'] = listing()

        pages = []
        kw = {'MaxKeys': 2}
        while True:
            r = s3.list_objects_v2(Bucket=bucket, **kw)
            pages.append({'keys': [o['Key'] for o in r.get('Contents', [])], 'key_count': r['KeyCount'],
                          'truncated': r['IsTruncated'], 'max_keys': r['MaxKeys']})
            if not r['IsTruncated']:
                break
            kw['ContinuationToken'] = r['NextContinuationToken']
            if len(pages) > 50:
                raise SystemExit('pagination does not terminate')
        out['pages'] = pages

        paginator = s3.get_paginator('list_objects_v2')
        out['paginator_keys'] = [o['Key'] for p in paginator.paginate(Bucket=bucket, Prefix='docs/', PaginationConfig={'PageSize': 1})
                                 for o in p.get('Contents', [])]

        src = {'Bucket': bucket, 'Key': big_key}
        cp = s3.copy_object(Bucket=bucket, Key='copies/same meta.bin', CopySource=src)
        out['copy'] = {'status': status(cp), 'etag': cp['CopyObjectResult']['ETag']}
        h = s3.head_object(Bucket=bucket, Key='copies/same meta.bin')
        out['copy_head'] = {'etag': h['ETag'], 'content_length': h['ContentLength'], 'content_type': h['ContentType'], 'metadata': h['Metadata']}
        cp2 = s3.copy_object(Bucket=bucket, Key='copies/replaced.bin', CopySource=src, MetadataDirective='REPLACE',
                             ContentType='text/plain', Metadata={'fresh': 'yes'})
        h2 = s3.head_object(Bucket=bucket, Key='copies/replaced.bin')
        out['copy_replace'] = {'etag': cp2['CopyObjectResult']['ETag'], 'content_type': h2['ContentType'], 'metadata': h2['Metadata']}
        copied = s3.get_object(Bucket=bucket, Key='copies/replaced.bin')['Body'].read()
        out['copy_replace']['md5'] = hashlib.md5(copied).hexdigest()

        all_keys = [o['Key'] for o in s3.list_objects_v2(Bucket=bucket).get('Contents', [])]
        out['delete_bucket_not_empty'] = error(lambda: s3.delete_bucket(Bucket=bucket))
        d = s3.delete_objects(Bucket=bucket, Delete={'Objects': [{'Key': k} for k in all_keys] + [{'Key': 'never/existed'}]})
        out['delete_objects'] = {'status': status(d), 'deleted': sorted(x['Key'] for x in d.get('Deleted', [])),
                                 'errors': d.get('Errors', [])}
        out['after_delete'] = listing()
        out['delete_bucket'] = status(s3.delete_bucket(Bucket=bucket))
        out['head_bucket_after'] = error(lambda: s3.head_bucket(Bucket=bucket))
        print(json.dumps(out))
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task Boto3_CreatesPutsGetsRangesListsPagesCopiesAndDeletes()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(File.Exists(Python), $"{Python} is not installed (run `make setup`).");
        var bucket = "boto3-" + Guid.NewGuid().ToString("N")[..10];
        var payloadFile = Path.Combine(Path.GetTempPath(), "comio-boto3-" + Guid.NewGuid().ToString("N"));
        var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 4321);
        await File.WriteAllBytesAsync(payloadFile, payload, ct);
        var md5 = Convert.ToHexStringLower(MD5.HashData(payload));
        var etag = $"\"{md5}\"";
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var run = await ExternalProcess.RunAsync(Python, ["-"], new Dictionary<string, string>
            {
                ["COMIO_ENDPOINT"] = topology.S3Endpoint.ToString().TrimEnd('/'),
                ["COMIO_ACCESS_KEY"] = TopologyFixture.AccessKey,
                ["COMIO_SECRET_KEY"] = TopologyFixture.SecretKey,
                ["COMIO_BUCKET"] = bucket,
                ["COMIO_BIG_KEY"] = BigKey,
                ["COMIO_PAYLOAD"] = payloadFile,
                // Keep the developer's ~/.aws and proxies out of the run.
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
                ["NO_PROXY"] = "*",
                ["PYTHONIOENCODING"] = "utf-8",
            }, TimeSpan.FromMinutes(2), ct, standardInput: Script);
            TestContext.Current.TestOutputHelper?.WriteLine($"boto3 script: {started.ElapsedMilliseconds} ms");
            Assert.True(run.ExitCode == 0, run.Describe("python3 boto3 script"));
            using var json = JsonDocument.Parse(run.StdOut);
            var o = json.RootElement;
            TestContext.Current.TestOutputHelper?.WriteLine($"botocore {o.GetProperty("botocore").GetString()}");

            Assert.Equal(200, o.GetProperty("create_bucket").GetInt32());
            Assert.Equal(200, o.GetProperty("put").GetProperty("status").GetInt32());
            Assert.Equal(etag, o.GetProperty("put").GetProperty("etag").GetString());

            var get = o.GetProperty("get");
            Assert.Equal(200, get.GetProperty("status").GetInt32());
            Assert.Equal(payload.Length, get.GetProperty("length").GetInt32());
            Assert.Equal(payload.Length, get.GetProperty("content_length").GetInt32());
            Assert.Equal(md5, get.GetProperty("md5").GetString());
            Assert.Equal(etag, get.GetProperty("etag").GetString());
            Assert.Equal("application/x-comio-test", get.GetProperty("content_type").GetString());
            AssertMetadata(get.GetProperty("metadata"), ("owner", "boto3"), ("purpose", "round-trip"));

            var range = o.GetProperty("range");
            Assert.Equal(206, range.GetProperty("status").GetInt32());
            Assert.Equal($"bytes 100-199/{payload.Length}", range.GetProperty("content_range").GetString());
            Assert.Equal(100, range.GetProperty("content_length").GetInt32());
            Assert.Equal(payload[100..200], Convert.FromBase64String(range.GetProperty("body").GetString()!));
            var suffix = o.GetProperty("suffix_range");
            Assert.Equal(206, suffix.GetProperty("status").GetInt32());
            Assert.Equal($"bytes {payload.Length - 10}-{payload.Length - 1}/{payload.Length}", suffix.GetProperty("content_range").GetString());
            Assert.Equal(payload[^10..], Convert.FromBase64String(suffix.GetProperty("body").GetString()!));

            var head = o.GetProperty("head");
            Assert.Equal(200, head.GetProperty("status").GetInt32());
            Assert.Equal(payload.Length, head.GetProperty("content_length").GetInt32());
            Assert.Equal(etag, head.GetProperty("etag").GetString());
            Assert.Equal("application/x-comio-test", head.GetProperty("content_type").GetString());
            Assert.True(head.GetProperty("has_last_modified").GetBoolean());
            AssertMetadata(head.GetProperty("metadata"), ("owner", "boto3"), ("purpose", "round-trip"));
            AssertError(o.GetProperty("head_missing"), 404, "404"); // HEAD has no body: botocore reports the status as the code.
            AssertError(o.GetProperty("get_missing"), 404, "NoSuchKey");

            string[] allKeys = ["a.txt", "docs/report 2026 ü.bin", "docs/sub/z.txt", "docs/x.txt", "docs/y.txt", "img/1.png", "img/2.png", "zeta é.txt"];
            Assert.Equal(allKeys, allKeys.Order(StringComparer.Ordinal)); // the expectation itself is in ordinal (UTF-8 byte) order
            AssertListing(o.GetProperty("list_root"), ["a.txt", "zeta é.txt"], ["docs/", "img/"]);
            AssertListing(o.GetProperty("list_docs"), ["docs/report 2026 ü.bin", "docs/x.txt", "docs/y.txt"], ["docs/sub/"]);
            AssertListing(o.GetProperty("list_all"), allKeys, []);

            var pages = o.GetProperty("pages").EnumerateArray().ToList();
            Assert.Equal(4, pages.Count);
            Assert.Equal(allKeys, pages.SelectMany(p => Strings(p.GetProperty("keys"))));
            for (var i = 0; i < pages.Count; i++)
            {
                Assert.Equal(2, pages[i].GetProperty("key_count").GetInt32());
                Assert.Equal(2, pages[i].GetProperty("max_keys").GetInt32());
                Assert.Equal(i < pages.Count - 1, pages[i].GetProperty("truncated").GetBoolean());
            }

            Assert.Equal(["docs/report 2026 ü.bin", "docs/sub/z.txt", "docs/x.txt", "docs/y.txt"], Strings(o.GetProperty("paginator_keys")));

            Assert.Equal(200, o.GetProperty("copy").GetProperty("status").GetInt32());
            Assert.Equal(etag, o.GetProperty("copy").GetProperty("etag").GetString());
            var copyHead = o.GetProperty("copy_head");
            Assert.Equal(etag, copyHead.GetProperty("etag").GetString());
            Assert.Equal(payload.Length, copyHead.GetProperty("content_length").GetInt32());
            Assert.Equal("application/x-comio-test", copyHead.GetProperty("content_type").GetString());
            AssertMetadata(copyHead.GetProperty("metadata"), ("owner", "boto3"), ("purpose", "round-trip"));
            var replaced = o.GetProperty("copy_replace");
            Assert.Equal(etag, replaced.GetProperty("etag").GetString());
            Assert.Equal("text/plain", replaced.GetProperty("content_type").GetString());
            Assert.Equal(md5, replaced.GetProperty("md5").GetString());
            AssertMetadata(replaced.GetProperty("metadata"), ("fresh", "yes"));

            AssertError(o.GetProperty("delete_bucket_not_empty"), 409, "BucketNotEmpty");
            var deleted = o.GetProperty("delete_objects");
            Assert.Equal(200, deleted.GetProperty("status").GetInt32());
            // S3 reports a key that never existed as deleted too (DeleteObjects is idempotent).
            string[] expectedDeleted = [.. allKeys, "copies/replaced.bin", "copies/same meta.bin", "never/existed"];
            Assert.Equal(expectedDeleted.Order(StringComparer.Ordinal), Strings(deleted.GetProperty("deleted")));
            Assert.Empty(deleted.GetProperty("errors").EnumerateArray());
            AssertListing(o.GetProperty("after_delete"), [], []);
            Assert.Equal(204, o.GetProperty("delete_bucket").GetInt32());
            AssertError(o.GetProperty("head_bucket_after"), 404, "404");
        }
        finally
        {
            File.Delete(payloadFile);
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var s3 = topology.CreateClient();
            await BucketJanitor.DeleteBucketIfExistsAsync(s3, bucket, cleanup.Token);
        }
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static void AssertMetadata(JsonElement metadata, params (string Name, string Value)[] expected) =>
        Assert.Equal(
            expected.Select(e => $"{e.Name}={e.Value}").Order(StringComparer.Ordinal),
            metadata.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").Order(StringComparer.Ordinal));

    private static void AssertError(JsonElement error, int status, string code)
    {
        Assert.Equal(JsonValueKind.Object, error.ValueKind);
        Assert.Equal(status, error.GetProperty("status").GetInt32());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    private static void AssertListing(JsonElement listing, string[] keys, string[] prefixes)
    {
        Assert.Equal(keys, Strings(listing.GetProperty("keys")));
        Assert.Equal(prefixes, Strings(listing.GetProperty("prefixes")));
        Assert.Equal(keys.Length + prefixes.Length, listing.GetProperty("key_count").GetInt32());
        Assert.False(listing.GetProperty("truncated").GetBoolean());
    }
}
