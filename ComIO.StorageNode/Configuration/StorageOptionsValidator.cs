using Microsoft.Extensions.Options;

namespace ComIO.StorageNode.Configuration;

/// <summary>Rejects an unusable storage configuration at start-up with a message naming the key.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.Devices.Count == 0)
        {
            failures.Add("storage.devices: at least one device is required (Storage:Devices:0:Path).");
        }

        for (var i = 0; i < options.Devices.Count; i++)
        {
            var device = options.Devices[i];
            if (string.IsNullOrWhiteSpace(device.Path))
            {
                failures.Add($"storage.devices[{i}].path: a device path is required.");
            }

            if (device.Type is not ("file" or "block"))
            {
                failures.Add($"storage.devices[{i}].type: '{device.Type}' is not valid; use 'file' or 'block'.");
            }
        }

        if (options.BlockSize < 512 || options.BlockSize > 65536 || (options.BlockSize & (options.BlockSize - 1)) != 0)
        {
            failures.Add($"storage.block_size: {options.BlockSize} is not a power of two between 512 and 65536.");
        }

        if (string.IsNullOrWhiteSpace(options.MetadataPath))
        {
            failures.Add("storage.metadata_path: a folder for the metadata store is required (Storage:MetadataPath).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
