import WireFormat

extension JSONWriter {
    /// A finding as its `kind:value` string.
    public mutating func finding(_ finding: Finding) {
        FindingTable.shared.json(finding.id).withUnsafeBufferPointer { rawValue($0) }  // quoted and escaped once, by the table
    }

    // Concrete collections, not `some Sequence`: called from other modules the generic body was
    // not specialised, and each element read through the protocol allocated (perf on malloc:
    // a third of a reply's allocations).
    public mutating func findings(_ findings: FindingSet) {
        beginArray()
        for finding in findings { self.finding(finding) }
        endArray()
    }
}
