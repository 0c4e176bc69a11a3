using System.Buffers;
using ComIO.Contracts.Nodes;

namespace ComIO.StorageNode.Endpoints;

/// <summary>
/// A listing page (<see cref="ObjectListPageCodec"/>) encoded straight into the response pipe, whose pooled segments hold
/// it until the flush: no page-sized buffer per request (a page of 1,000 entries with their ACLs is hundreds of KiB).
/// The length is not known up front, so the page goes out chunked; a page states its entry count, so a cut one fails to decode.
/// </summary>
internal sealed class ListPageResult(Action<IBufferWriter<byte>> writePage) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = ObjectListPageCodec.ContentType;
        writePage(httpContext.Response.BodyWriter);
        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
