import NIOCore

/// One line from a client, or word that a line was too long (and was dropped up to its newline).
public enum Frame: Sendable, Equatable {
    case line(ByteBuffer)
    case tooLong
}

/// Splits the byte stream into lines of at most `maximumLength` bytes. A longer line is reported
/// once as `.tooLong` and discarded up to the next newline, so one bad line costs the client an
/// error reply, not the connection (NIO's LineBasedFrameDecoder has no limit, and a capped
/// ByteToMessageHandler closes the channel).
public struct LineFramer: ByteToMessageDecoder {
    public typealias InboundOut = Frame

    public let maximumLength: Int
    private var discarding = false

    public init(maximumLength: Int) { self.maximumLength = maximumLength }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex
            if discarding {
                buffer.moveReaderIndex(forwardBy: length + 1)
                discarding = false
                return .continue
            }
            if length > maximumLength {
                buffer.moveReaderIndex(forwardBy: length + 1)
                context.fireChannelRead(Self.wrapInboundOut(.tooLong))
                return .continue
            }
            var line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == UInt8(ascii: "\r") { line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1)! }
            context.fireChannelRead(Self.wrapInboundOut(.line(line)))
            return .continue
        }
        if buffer.readableBytes > maximumLength {
            // No newline yet and already too long: drop what we have and say so once.
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            if !discarding {
                discarding = true
                context.fireChannelRead(Self.wrapInboundOut(.tooLong))
            }
            return .continue
        }
        return .needMoreData
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A half line at the end of the connection is dropped: the client is gone.
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }
}
