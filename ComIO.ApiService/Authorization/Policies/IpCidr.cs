using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// An IPv4 or IPv6 network as written in an <c>IpAddress</c> condition: <c>a.b.c.d/n</c>, <c>v6/n</c>, or a bare address meaning
/// /32 or /128. Host bits set in the address are ignored. Addresses are parsed strictly (dotted-quad IPv4 only, no IPv6 scope).
/// </summary>
internal readonly struct IpCidr
{
    private readonly UInt128 _network;
    private readonly UInt128 _mask;

    private IpCidr(bool isIPv6, UInt128 address, int prefixLength)
    {
        IsIPv6 = isIPv6;
        PrefixLength = prefixLength;
        var width = isIPv6 ? 128 : 32;
        _mask = prefixLength == 0 ? UInt128.Zero : (UInt128.MaxValue << (width - prefixLength)) & (isIPv6 ? UInt128.MaxValue : uint.MaxValue);
        _network = address & _mask;
    }

    public bool IsIPv6 { get; }

    public int PrefixLength { get; }

    /// <summary>Parses a CIDR or bare address; returns <see langword="false"/> for anything else.</summary>
    public static bool TryParse(string text, out IpCidr cidr)
    {
        cidr = default;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        var addressText = slash < 0 ? span : span[..slash];
        if (!TryParseAddress(addressText, out var isIPv6, out var address))
        {
            return false;
        }

        var width = isIPv6 ? 128 : 32;
        var prefix = width;
        if (slash >= 0)
        {
            var prefixText = span[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.ContainsOnlyDigits()
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > width)
            {
                return false;
            }
        }

        cidr = new IpCidr(isIPv6, address, prefix);
        return true;
    }

    /// <summary>Parses one address (IPv4-mapped IPv6 addresses become IPv4); <see langword="false"/> when it is not an address.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out bool isIPv6, out UInt128 address)
    {
        isIPv6 = false;
        address = UInt128.Zero;
        if (text.Contains(':'))
        {
            if (text.Contains('%') || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            if (parsed.IsIPv4MappedToIPv6)
            {
                return TryReadIPv4(parsed.MapToIPv4(), out address);
            }

            Span<byte> bytes = stackalloc byte[16];
            if (!parsed.TryWriteBytes(bytes, out var written) || written != 16)
            {
                return false;
            }

            isIPv6 = true;
            address = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            return true;
        }

        uint value = 0;
        var octets = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++octets > 4 || part.Length is 0 or > 3 || !part.ContainsOnlyDigits()
                || !uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
            {
                return false;
            }

            value = (value << 8) | octet;
        }

        address = value;
        return octets == 4;
    }

    /// <summary>Whether the address <paramref name="text"/> lies in this network; <see langword="false"/> when it is not an address.</summary>
    public bool Contains(ReadOnlySpan<char> text)
        => TryParseAddress(text.Trim(), out var isIPv6, out var address) && Contains(isIPv6, address);

    /// <summary>Whether the parsed address lies in this network; an IPv4 address never lies in an IPv6 network or vice versa.</summary>
    public bool Contains(bool isIPv6, UInt128 address) => isIPv6 == IsIPv6 && (address & _mask) == _network;

    private static bool TryReadIPv4(IPAddress address, out UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[4];
        value = UInt128.Zero;
        if (!address.TryWriteBytes(bytes, out var written) || written != 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }
}

/// <summary>Digit check used by <see cref="IpCidr"/>.</summary>
file static class SpanDigits
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
