using System.Text;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>
/// Mutation operators for byte and text inputs: bit flips, interesting bytes, deletions, duplications, truncation,
/// token insertion (from a per-format dictionary) and splices. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)'<', (byte)'>', (byte)'&',
        (byte)';', (byte)'=', (byte)'%', (byte)'/', (byte)'"', (byte)',', (byte)':', (byte)'?', (byte)'+', 0xC0, 0xED, 0xF4];

    /// <summary>Applies 1 to 4 random mutations to a copy of <paramref name="input"/>.</summary>
    public static byte[] Mutate(Random random, byte[] input, IReadOnlyList<string> tokens)
    {
        var data = new List<byte>(input);
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(random, data, tokens);
        }

        return [.. data];
    }

    /// <summary>Mutates text through its UTF-8 bytes (invalid sequences come back as U+FFFD), or char-wise with lone surrogates now and then.</summary>
    public static string Mutate(Random random, string input, IReadOnlyList<string> tokens)
    {
        if (random.Next(8) == 0 && input.Length > 0)
        {
            var chars = input.ToCharArray();
            chars[random.Next(chars.Length)] = random.Next(3) switch
            {
                0 => '\uD800',
                1 => '\uDFFF',
                _ => (char)random.Next(0x20),
            };
            return new string(chars);
        }

        return Encoding.UTF8.GetString(Mutate(random, Encoding.UTF8.GetBytes(input), tokens));
    }

    /// <summary>Random bytes of a random length up to <paramref name="maxLength"/>, biased towards the format's tokens.</summary>
    public static byte[] RandomBytes(Random random, int maxLength, IReadOnlyList<string> tokens)
    {
        var data = new List<byte>();
        var length = random.Next(maxLength + 1);
        while (data.Count < length)
        {
            if (tokens.Count > 0 && random.Next(3) == 0)
            {
                data.AddRange(Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Count)]));
            }
            else
            {
                data.Add(random.Next(4) == 0 ? InterestingBytes[random.Next(InterestingBytes.Length)] : (byte)random.Next(256));
            }
        }

        return [.. data];
    }

    private static void MutateOnce(Random random, List<byte> data, IReadOnlyList<string> tokens)
    {
        var position = data.Count == 0 ? 0 : random.Next(data.Count);
        switch (random.Next(9))
        {
            case 0 when data.Count > 0:
                data[position] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[position] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2 when data.Count > 0:
                data.RemoveRange(position, Math.Min(data.Count - position, 1 + random.Next(16)));
                break;
            case 3 when data.Count > 0:
                {
                    var length = Math.Min(data.Count - position, 1 + random.Next(64));
                    var slice = data.GetRange(position, length);
                    var copies = random.Next(8) == 0 ? random.Next(2, 200) : 1;
                    for (var i = 0; i < copies; i++)
                    {
                        data.InsertRange(random.Next(data.Count + 1), slice);
                    }

                    break;
                }

            case 4:
                data.RemoveRange(position, data.Count - position);
                break;
            case 5 when tokens.Count > 0:
                data.InsertRange(position, Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Count)]));
                break;
            case 6 when tokens.Count > 0 && data.Count > 0:
                {
                    var token = Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Count)]);
                    data.RemoveRange(position, Math.Min(data.Count - position, token.Length));
                    data.InsertRange(position, token);
                    break;
                }

            case 7 when data.Count > 1:
                {
                    var other = random.Next(data.Count);
                    (data[position], data[other]) = (data[other], data[position]);
                    break;
                }

            default:
                data.Insert(position, (byte)random.Next(256));
                break;
        }
    }
}
