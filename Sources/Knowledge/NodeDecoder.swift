import Foundation
import Yams

/// Decodes `Decodable` values from a composed YAML node as Yams' `YAMLDecoder` does: the same
/// scalar rules, errors and coding paths, so validation messages do not change (tested side by
/// side). One difference, on purpose: a list or mapping where a scalar belongs is reported as
/// the scalar's type ("expected a number"), where `YAMLDecoder` expects a `Node.Scalar` (which
/// the loader words as "a mapping").
///
/// Why not `YAMLDecoder`: at start-up it makes several dynamic casts for every value (each a
/// protocol-conformance lookup the first time, through every loaded library) and finds a key by
/// comparing it, as a `Node`, with every key of the mapping. Here the common scalar types are
/// recognised by type identity and keys are compared as strings. No anchors or aliases:
/// Charley's data files use neither.
package struct NodeDecoder {
    package init() {}

    package func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try NodeValueDecoder(node: node, codingPath: [], ledger: nil).decode(type)
    }

    /// Decodes as `decode` does, and then refuses a mapping key that the decoded types never
    /// asked for: a misspelt field ("cuation:" under a treatment, "fisrt_when:" under a question)
    /// would otherwise be dropped without a word. The fields a mapping may hold are the keys its
    /// type asks for (a dictionary asks for all), so no second list of them is kept.
    package func decodeCheckingFields<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        let ledger = FieldLedger()
        let value: T
        do {
            value = try NodeValueDecoder(node: node, codingPath: [], ledger: ledger).decode(type)
        } catch DecodingError.keyNotFound(let key, let context) {
            // A required field missing beside a key nobody reads is most likely that field
            // misspelt ("sorces:"): name the misspelling, with the fields the entry may have.
            let path = context.codingPath.map(\.stringValue)
            let misspelt = ledger.unknownFields().filter {
                $0.path.map(\.stringValue) == path && EditDistance.distance($0.key, key.stringValue, limit: 2) != nil
            }
            guard misspelt.isEmpty else {
                throw UnknownFieldsError(
                    fields: misspelt.map {
                        var field = $0
                        field.known = []
                        field.missing = key.stringValue
                        return field
                    })
            }
            throw DecodingError.keyNotFound(key, context)
        }
        let unknown = ledger.unknownFields()
        guard unknown.isEmpty else { throw UnknownFieldsError(fields: unknown) }
        return value
    }
}

/// Keys of a data file that no field of its types reads.
package struct UnknownFieldsError: Error {
    package struct Field {
        /// The coding path of the mapping that holds the key.
        package var path: [any CodingKey]
        package var key: String
        package var line: Int?
        /// The keys the mapping's type asked for, sorted.
        package var known: [String]
        /// The required field it most likely misspells, when that one is missing.
        package var missing: String? = nil
    }
    package var fields: [Field]
}

/// What each mapping decoded holds and what its type asked for, by the mapping's place in the file.
private final class FieldLedger {
    struct Mapping {
        var path: [any CodingKey]
        var keys: [(name: String, line: Int?)]
        var asked: Set<String> = []
        var all = false
    }
    var mappings: [Int: Mapping] = [:]
    var order: [Int] = []

    /// The mapping's number, made once per place (a type may open its mapping more than once).
    func open(_ node: Node, pairs: [(key: Node, value: Node)], path: [any CodingKey]) -> Int? {
        guard let mark = node.mark else { return nil }
        let id = mark.line &* 1_000_003 &+ mark.column
        if mappings[id] == nil {
            mappings[id] = Mapping(path: path, keys: pairs.compactMap { pair in pair.key.string.map { ($0, pair.key.mark?.line) } })
            order.append(id)
        }
        return id
    }

    func ask(_ id: Int?, _ key: String) { if let id { mappings[id]?.asked.insert(key) } }
    func askAll(_ id: Int?) { if let id { mappings[id]?.all = true } }

    func unknownFields() -> [UnknownFieldsError.Field] {
        order.flatMap { id -> [UnknownFieldsError.Field] in
            guard let mapping = mappings[id], !mapping.all else { return [] }
            return mapping.keys.filter { !mapping.asked.contains($0.name) }.map {
                UnknownFieldsError.Field(path: mapping.path, key: $0.name, line: $0.line, known: mapping.asked.sorted())
            }
        }
    }
}

private struct NodeValueDecoder: Decoder, SingleValueDecodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    let ledger: FieldLedger?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw typeMismatch(Node.Mapping.self)
        }
        let pairs = Array(mapping)
        let id = ledger?.open(node, pairs: pairs, path: codingPath)
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(decoder: self, pairs: pairs, ledgerID: id))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw typeMismatch(Node.Sequence.self)
        }
        return NodeUnkeyedContainer(decoder: self, nodes: Array(sequence))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func child(_ node: Node, key: any CodingKey) -> NodeValueDecoder {
        NodeValueDecoder(node: node, codingPath: codingPath + [key], ledger: ledger)
    }

    // MARK: Single values

    func decodeNil() -> Bool { node.null != nil }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // The scalar types by identity: no conformance lookup.
        if type == String.self { return try construct(String.self) as! T }
        if type == Int.self { return try construct(Int.self) as! T }
        if type == Double.self { return try construct(Double.self) as! T }
        if type == Bool.self { return try construct(Bool.self) as! T }
        // Everything else through its own `init(from:)`. (YAMLDecoder would first ask whether the
        // type is one of Yams' scalar types, a protocol-conformance lookup per type; Charley's
        // files hold no dates, URLs or other such scalars.)
        return try T(from: self)
    }

    private func construct<T: ScalarConstructible>(_ type: T.Type) throws -> T {
        guard case .scalar(let scalar) = node else { throw typeMismatch(type) }
        guard let value = T.construct(from: scalar) else { throw typeMismatch(type) }
        return value
    }

    /// The error `YAMLDecoder` throws for the same mismatch.
    func typeMismatch(_ expectation: Any.Type) -> DecodingError {
        let reality: Any.Type =
            switch node {
            case .scalar: Node.Scalar.self
            case .mapping: Node.Mapping.self
            case .sequence: Node.Sequence.self
            case .alias: Node.Alias.self
            }
        return .typeMismatch(
            expectation,
            DecodingError.Context(
                codingPath: codingPath, debugDescription: "Expected to decode \(expectation) but found \(reality) instead."))
    }
}

private struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeValueDecoder
    let pairs: [(key: Node, value: Node)]
    let ledgerID: Int?

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        decoder.ledger?.askAll(ledgerID)
        return pairs.compactMap { $0.key.string.flatMap(Key.init(stringValue:)) }
    }

    private func value(_ key: Key) -> Node? {
        let name = key.stringValue
        decoder.ledger?.ask(ledgerID, name)
        for pair in pairs {
            if case .scalar(let scalar) = pair.key, scalar.string == name { return pair.value }
        }
        return nil
    }

    private func child(_ key: Key) throws -> NodeValueDecoder {
        guard let node = value(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return decoder.child(node, key: key)
    }

    func contains(_ key: Key) -> Bool { value(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try child(key).decodeNil() }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

private struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeValueDecoder
    let nodes: [Node]
    var currentIndex = 0

    init(decoder: NodeValueDecoder, nodes: [Node]) {
        self.decoder = decoder
        self.nodes = nodes
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { nodes.count }
    var isAtEnd: Bool { currentIndex >= nodes.count }

    private struct IndexKey: CodingKey {
        var intValue: Int?
        var stringValue: String { "Index \(intValue ?? 0)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    private mutating func next<T>(_ type: T.Type) throws -> NodeValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return decoder.child(nodes[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            _ = try next(Any?.self)
            return false
        }
        if decoder.child(nodes[currentIndex], key: IndexKey(currentIndex)).decodeNil() {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next((any Decoder).self) }
}
