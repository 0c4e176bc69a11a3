// The comio CLI is not built yet (tracked as its own issue); fail loudly instead of pretending.
Console.Error.WriteLine("comio: the CLI is not implemented yet; use the aws CLI or an AWS SDK against the S3 endpoint (see README).");
return 2;
