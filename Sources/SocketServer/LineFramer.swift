import NIOCore
import WireFormat

/// One line from a client, or word that a line was too long (and was dropped up to its newline).
public enum Frame: Sendable, Equatable {
    case line(ByteBuffer)
    case tooLong
}

/// The daemon's framing: `LineSplitter` over NIO's buffer. NIO's LineBasedFrameDecoder has no
/// limit, and a capped ByteToMessageHandler closes the channel; here a too-long line costs an
/// error reply, not the connection.
public struct LineFramer: ByteToMessageDecoder {
    public typealias InboundOut = Frame

    private var splitter: LineSplitter

    public init(maximumLength: Int) { splitter = LineSplitter(maximumLength: maximumLength) }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch splitter.next(buffer.readableBytesView) {
        case .line(let length, let consumed):
            let line = buffer.getSlice(at: buffer.readerIndex, length: length)!
            buffer.moveReaderIndex(forwardBy: consumed)
            context.fireChannelRead(Self.wrapInboundOut(.line(line)))
            return .continue
        case .tooLong(let consumed):
            buffer.moveReaderIndex(forwardBy: consumed)
            context.fireChannelRead(Self.wrapInboundOut(.tooLong))
            return .continue
        case .skip(let consumed):
            buffer.moveReaderIndex(forwardBy: consumed)
            return .continue
        case .needMore:
            return .needMoreData
        }
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A half line at the end of the connection is dropped: the client is gone.
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }
}
