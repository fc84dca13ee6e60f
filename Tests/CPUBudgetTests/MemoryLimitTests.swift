import Testing
@testable import CPUBudget

@Suite struct MemoryLimitTests {
    @Test func parsesSizesAsUsersWriteThem() throws {
        let cases: [(String, Int)] = [("2000000000", 2_000_000_000), ("8GB", 8_000_000_000), ("8 gb", 8_000_000_000),
                                      ("512MiB", 512 << 20), ("1.5TB", 1_500_000_000_000), ("64K", 64_000), ("100B", 100)]
        for (text, bytes) in cases {
            #expect(try MemoryLimit(parsing: text, origin: "--memory-limit").bytes == bytes, "\(text)")
        }
        let half = try MemoryLimit(parsing: "50%", origin: "--memory-limit")
        #expect(abs(Double(half.bytes) - Double(MemoryLimit.automatic.bytes) / 0.8 / 2) < 2)
        #expect(half.origin == "--memory-limit 50%")
    }

    @Test(arguments: ["", "lots", "-1GB", "0", "150%", "1e30", "8XB"])
    func refusesWhatIsNotASize(_ text: String) {
        #expect(throws: MemoryLimitError(key: "--memory-limit", what: "'\(text)'", needed: 0, limit: nil)) {
            _ = try MemoryLimit(parsing: text, origin: "--memory-limit")
        }
    }

    @Test func automaticIsEightyPercentOfTheSmallerOfPhysicalAndCgroup() {
        let physical = MemoryLimit.automatic(physicalBytes: 16_000_000_000, cgroup: nil)
        #expect(physical == MemoryLimit(bytes: 12_800_000_000, origin: "80% of 16.0 GB physical memory"))
        let cgroup = MemoryLimit.automatic(physicalBytes: 16_000_000_000, cgroup: (2_000_000_000, "/sys/fs/cgroup/memory.max"))
        #expect(cgroup == MemoryLimit(bytes: 1_600_000_000, origin: "80% of the cgroup limit 2.0 GB (/sys/fs/cgroup/memory.max)"))
    }

    @Test func cgroupLimitIsTheTightestOfTheGroupAndItsAncestors() {
        let files: [String: String] = ["/cg/memory.max": "max\n", "/cg/job/memory.max": "3000000000\n",
                                       "/cg/job/step/memory.max": "max\n"]
        let cgroup = CgroupFiles(mountPoint: "/cg", membership: "0::/job/step\n", read: { files[$0] })
        #expect(cgroup.memoryLimit()?.bytes == 3_000_000_000)
        #expect(cgroup.memoryLimit()?.file == "/cg/job/memory.max")
        let v1 = CgroupFiles(mountPoint: "/cg", membership: "4:memory:/job\n",
                             read: { ["/cg/memory/job/memory.limit_in_bytes": "9223372036854771712", "/cg/memory/memory.limit_in_bytes": "1073741824"][$0] })
        #expect(v1.memoryLimit()?.bytes == 1 << 30)
        #expect(CgroupFiles(mountPoint: "/cg", membership: "0::/\n", read: { _ in nil }).memoryLimit() == nil)
    }

    @Test func checkSaturatesInsteadOfOverflowing() {
        #expect(MemoryLimit.product([1 << 40, 1 << 40]) == .max)
        #expect(MemoryLimit.format(.max) == "more than 9.2 EB")
        #expect(MemoryLimit.format(9_400_000_000_000) == "9.4 TB")
        let limit = MemoryLimit(bytes: 1000, origin: "test")
        #expect(throws: MemoryLimitError(key: "k", what: "w", needed: .max, limit: limit)) {
            try limit.check(MemoryLimit.product([1 << 40, 1 << 40]), for: "w", key: "k")
        }
    }
}
