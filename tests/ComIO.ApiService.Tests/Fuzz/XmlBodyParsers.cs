using System.Text;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Authorization.Ownership;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Tests.Authorization.Acls;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>Every XML request-body parser reachable as a function, with a valid seed document and its root element name.</summary>
internal static class XmlBodyParsers
{
    private const string Ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    public static readonly IReadOnlyDictionary<string, (string Root, string Seed, Func<byte[], object> Parse)> All =
        new Dictionary<string, (string, string, Func<byte[], object>)>(StringComparer.Ordinal)
        {
            ["DeleteObjects"] = ("Delete",
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete {Ns}><Quiet>true</Quiet><Object><Key>a/b.txt</Key><VersionId>null</VersionId></Object>"
                + "<Object><Key>c&amp;d &#x1F600;</Key></Object></Delete>",
                body => DeleteObjectsHandler.Parse(body)),
            ["CompleteMultipartUpload"] = ("CompleteMultipartUpload",
                $"<CompleteMultipartUpload {Ns}><Part><PartNumber>1</PartNumber><ETag>\"0123abc\"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>"
                + "<Part><PartNumber>2</PartNumber><ETag>def</ETag></Part></CompleteMultipartUpload>",
                body => CompleteMultipartUploadXml.Parse(body)),
            ["Tagging"] = ("Tagging",
                $"<Tagging {Ns}><TagSet><Tag><Key>k1</Key><Value>v 1</Value></Tag><Tag><Key>project:name</Key><Value></Value></Tag></TagSet></Tagging>",
                body => TagSetParser.ParseXml(body)),
            ["AccessControlPolicy"] = ("AccessControlPolicy",
                $"<AccessControlPolicy {Ns} xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Owner><ID>{AclTestData.Alice.Id}</ID><DisplayName>alice</DisplayName></Owner>"
                + $"<AccessControlList><Grant><Grantee xsi:type=\"CanonicalUser\"><ID>{AclTestData.Bob.Id}</ID></Grantee><Permission>READ</Permission></Grant>"
                + $"<Grant><Grantee xsi:type=\"Group\"><URI>{AclGrantee.AllUsersUri}</URI></Grantee><Permission>READ_ACP</Permission></Grant>"
                + "<Grant><Grantee xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>carol@example.com</EmailAddress></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
                + "</AccessControlList></AccessControlPolicy>",
                body => AccessControlPolicyXml.Parse(body, AclTestData.Alice, AclTestData.Bob, AclTestData.ResolveEmail)),
            ["OwnershipControls"] = ("OwnershipControls",
                $"<OwnershipControls {Ns}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>",
                body => OwnershipControlsXml.Parse(body)),
            ["PublicAccessBlock"] = ("PublicAccessBlockConfiguration",
                $"<PublicAccessBlockConfiguration {Ns}><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls>"
                + "<BlockPublicPolicy> TRUE </BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
                body => PublicAccessBlockXml.Parse(body)),
            ["LifecycleConfiguration"] = ("LifecycleConfiguration",
                $"<LifecycleConfiguration {Ns}><Rule><ID>r1</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>"
                + "<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>3</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>"
                + "<Rule><ID>r2</ID><Prefix>tmp/</Prefix><Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>"
                + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>",
                body => Lifecycle.LifecycleXmlTests.ParseOrThrow(body)),
            ["ReplicationConfiguration"] = ("ReplicationConfiguration",
                $"<ReplicationConfiguration {Ns}><Role>arn:aws:iam::1:role/r</Role><Rule><ID>r1</ID><Priority>1</Priority><Status>Enabled</Status>"
                + "<Filter><Prefix>logs/</Prefix></Filter><DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>"
                + "<Destination><Bucket>arn:aws:s3:west::copies</Bucket><StorageClass>STANDARD</StorageClass></Destination></Rule>"
                + "<Rule><ID>r2</ID><Priority>2</Priority><Status>Disabled</Status><Filter><Prefix>tmp/</Prefix></Filter>"
                + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::copies</Bucket></Destination></Rule></ReplicationConfiguration>",
                body => global::ComIO.ApiService.Replication.ReplicationConfigurationXml.Parse(body, ["west", "north"])),
        };

    /// <summary>Tokens that steer mutations towards XML structure, entities and DTDs.</summary>
    public static readonly string[] Tokens =
    [
        "<", ">", "</", "/>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml version=\"1.0\"?>", "<?pi x?>", "&amp;", "&lt;", "&#0;", "&#xD800;", "&#x10FFFF;", "&x;",
        "&#1114112;", "<!DOCTYPE a [<!ENTITY x \"y\">]>", "<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/a.dtd\">", "<!ENTITY % p SYSTEM \"file:///etc/passwd\">",
        "xmlns=\"\"", "xmlns:a=\"b\"", "xsi:type=\"Group\"", "\"", "'", "=", " ", "\t", "\r\n", "\u00A0", "\uFEFF", "\0", "<Key>", "</Key>", "<Object>", "<Part>",
        "<PartNumber>", "99999999999", "-1", "<Tag>", "<Grant>", "<Rule>", "true", "FALSE", "encoding=\"UTF-16\"", "encoding=\"ebcdic\"",
    ];

    /// <summary>Documents every parser must refuse (never expand, never resolve): billion laughs, external entities, external DTDs.</summary>
    public static IEnumerable<(string Name, byte[] Body)> Bombs(string root)
    {
        var laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE " + root + " [<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            laughs.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">");
        }

        laughs.Append($"]><{root}><Key>&lol9;</Key></{root}>");
        yield return ("billion laughs", Encoding.UTF8.GetBytes(laughs.ToString()));

        yield return ("external entity (file)", Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><{root}><Key>&xxe;</Key></{root}>"));
        yield return ("external entity (http)", Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/x\">]><{root}><Key>&xxe;</Key></{root}>"));
        yield return ("parameter entity", Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><{root}/>"));
        yield return ("external DTD", Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><!DOCTYPE {root} SYSTEM \"http://127.0.0.1:9/s3.dtd\"><{root}/>"));
        yield return ("quadratic blowup", Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY a \"{new string('a', 50_000)}\">]><{root}>{string.Concat(Enumerable.Repeat("&a;", 5_000))}</{root}>"));
    }

    /// <summary>Large, legal-looking documents: deep nesting at the root and under a first child, and 100,000 sibling elements.</summary>
    public static IEnumerable<(string Name, byte[] Body)> Huge(string root, string seed)
    {
        const int Depth = 100_000;
        yield return ("100k nested at root", Encoding.UTF8.GetBytes(
            $"<{root}>{string.Concat(Enumerable.Repeat("<a>", Depth))}{string.Concat(Enumerable.Repeat("</a>", Depth))}</{root}>"));

        var firstChildEnd = seed.IndexOf('>', seed.IndexOf("><", seed.IndexOf("<" + root, StringComparison.Ordinal), StringComparison.Ordinal) + 1) + 1;
        yield return ("100k nested in first child", Encoding.UTF8.GetBytes(
            seed[..firstChildEnd] + string.Concat(Enumerable.Repeat("<a>", Depth)) + string.Concat(Enumerable.Repeat("</a>", Depth)) + seed[firstChildEnd..]));

        var open = seed.IndexOf('>', seed.IndexOf("<" + root, StringComparison.Ordinal)) + 1;
        var close = seed.LastIndexOf("</", StringComparison.Ordinal);
        var children = seed[open..close];
        var repeated = new StringBuilder(seed[..open]);
        while (repeated.Length < 3_000_000)
        {
            repeated.Append(children);
        }

        yield return ("children repeated to 3 MB", Encoding.UTF8.GetBytes(repeated.Append(seed[close..]).ToString()));
        yield return ("100k empty siblings", Encoding.UTF8.GetBytes($"<{root}>{string.Concat(Enumerable.Repeat("<x/>", Depth))}</{root}>"));
        yield return ("100k attributes", Encoding.UTF8.GetBytes($"<{root} {string.Concat(Enumerable.Range(0, Depth).Select(i => $"a{i}=\"\" "))}></{root}>"));
        yield return ("1 MB text", Encoding.UTF8.GetBytes($"<{root}>{new string('t', 1_000_000)}</{root}>"));
    }
}
