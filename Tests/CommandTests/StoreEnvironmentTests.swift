import Foundation
import TestSupport
import Testing

/// CHARLEY_STORE names the store for `serve`, `sessions` and `chat --resume`; set in a shell for
/// those, it must not stop a plain chat (only the `--store` flag without `--resume` is a mistake).
@Suite("CHARLEY_STORE and a plain chat")
struct StoreEnvironmentTests {
    @Test("a plain chat runs with CHARLEY_STORE set; --store without --resume is still refused")
    func plainChat() throws {
        let plain = try CharleyProcess.run(["chat", "--json"], input: "my calf cramps at night\n", environment: ["CHARLEY_STORE": "memory"])
        #expect(plain.status == 0)
        #expect(plain.output.contains("\"reply\"") || plain.output.contains("\"text\""), "\(plain.output.prefix(300))")
        let flag = try CharleyProcess.run(["chat", "--store", "memory"], input: "hello\n", mergingErrors: true)
        #expect(flag.status != 0)
        #expect(flag.output.contains("only apply with --resume"))
    }
}
