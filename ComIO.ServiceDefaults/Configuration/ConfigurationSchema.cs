using static ComIO.ServiceDefaults.Configuration.ConfigurationValues;

namespace ComIO.ServiceDefaults.Configuration;

/// <summary>
/// Every key the ComIO configuration file may contain, in one place: the seed format (<c>server</c>,
/// <c>storage.devices</c>, <c>replication</c>, <c>auth</c>, <c>logging</c>) and its extensions (<c>node</c>,
/// <c>site</c>, <c>cluster</c>, <c>s3</c>, <c>encryption</c>, <c>identity</c>, <c>lifecycle</c>, the AppHost's <c>sites</c>). Mirrors the services' options
/// classes (StorageOptions, NodeOptions, ClusterOptions, AuthOptions, S3Options, EncryptionOptions, IdentityOptions,
/// ReplicationWorkerOptions, the CLI's ServerSettings and the AppHost's SiteOptions) and docs/configuration.md; a key
/// added to one of those must be added here, or files using it are rejected as unknown.
/// </summary>
internal static class ConfigurationSchema
{
    private static readonly ValueNode LogLevelName = OneOfIgnoringCase(
        "trace, debug, information, warning, error, critical, none",
        "trace", "debug", "information", "warning", "error", "critical", "none");

    public static SectionNode Root { get; } = new(
        ("server", new SectionNode(
            ("host", Text),
            ("port", Port),
            ("read_timeout", Duration),
            ("write_timeout", Duration))),
        ("storage", new SectionNode(
            ("devices", new ListNode(new SectionNode(
                ("path", Text),
                ("type", OneOf("file", "block"))).Requiring("path"))),
            ("block_size", BlockSize),
            ("metadata_path", Text),
            ("format", Bool),
            ("format_size_mib", Long(1)),
            ("inline_threshold", Int(0, int.MaxValue)),
            ("scrub_interval_hours", NonNegativeNumber),
            ("scrub_bytes_per_second", Long(0)))),
        ("replication", new SectionNode(
            ("enabled", Bool),
            ("nodes", new ListNode(new SectionNode(("address", Url)).Requiring("address"))),
            ("sync_interval", Duration),
            ("consumer_group", Text),
            // storage node outbox relay (RelayOptions)
            ("republish_after", Duration),
            ("relay_batch_size", Int(1, 10_000)),
            // ComIO.ReplicationWorker (ReplicationWorkerOptions)
            ("source_endpoint", Url),
            ("access_key", Text),
            ("secret_key", Text),
            ("region", Text),
            ("sites", new MapNode(new SectionNode(("endpoint", Url)).Requiring("endpoint"))),
            ("concurrency", Int(1, 1024)),
            ("max_attempts", Int(1, int.MaxValue)),
            ("initial_backoff", Duration),
            ("max_backoff", Duration),
            ("min_retry_time", Duration),
            ("claim_idle_time", Duration),
            ("multipart_threshold", Long(5L * 1024 * 1024)),
            ("part_size", Long(5L * 1024 * 1024)),
            ("part_concurrency", Int(1, 64)))),
        ("auth", new SectionNode(
            ("enabled", Bool),
            ("admin_access_key", Text),
            ("admin_secret_key", Text),
            ("admin_display_name", Text),
            ("secret_encryption_key", Key256),
            ("account_id", Text))),
        ("logging", new SectionNode(
            ("level", OneOfIgnoringCase("debug, info, warn, error", "trace", "debug", "info", "information", "warn", "warning", "error", "fatal", "critical")),
            ("format", OneOfIgnoringCase("json, text", "json", "text")),
            ("log_level", new MapNode(LogLevelName)))),
        ("node", new SectionNode(
            ("id", Text),
            ("site", Text))),
        ("site", new SectionNode(
            ("name", Text))),
        ("cluster", new SectionNode(
            ("secret", Text),
            ("nodes", new ListNode(Text)),
            ("node_urls", new MapNode(Url)))),
        ("s3", new SectionNode(
            ("region", Text),
            ("virtual_host_domains", new ListNode(Text)))),
        ("encryption", new SectionNode(
            ("master_key", Key256),
            ("master_key_file", Text),
            ("previous_master_keys", new ListNode(Key256)),
            ("allow_sse_c_over_http", Bool))),
        ("identity", new SectionNode(
            ("peer_sites", new ListNode(Url)))),
        ("lifecycle", new SectionNode(
            ("scan_interval", Duration),
            ("time_offset", Duration),
            ("max_operations_per_second", Int(1, int.MaxValue)),
            ("page_size", Int(1, 100_000)))),
        ("connection_strings", new MapNode(Text)),
        ("sites", new ListNode(new SectionNode(
            ("name", Name),
            ("s3_port", Int(1, 65535, "a TCP port (1-65535)")),
            ("redis_port", Int(1, 65535, "a TCP port (1-65535)")),
            ("nodes", Int(1, 64)),
            ("device_size_mib", Long(1)),
            ("device_paths", new ListNode(Text)),
            ("api_replicas", Int(1, 64)),
            ("replicate_to", new ListNode(Name))))));
}
