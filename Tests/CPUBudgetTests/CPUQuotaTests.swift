import Testing
@testable import CPUBudget

struct CPUQuotaTests {
    @Test func cgroupV2CpuMax() {
        #expect(CPUQuota.cgroupV2(cpuMax: "max 100000\n") == nil)
        #expect(CPUQuota.cgroupV2(cpuMax: "200000 100000\n")?.cpus == 2)
        #expect(CPUQuota.cgroupV2(cpuMax: "50000 100000\n")?.cpus == 1)
        #expect(CPUQuota.cgroupV2(cpuMax: "150000 100000")?.cpus == 2)
        #expect(CPUQuota.cgroupV2(cpuMax: "400000 100000")?.cpus == 4)
        #expect(CPUQuota.cgroupV2(cpuMax: "") == nil)
        #expect(CPUQuota.cgroupV2(cpuMax: "0 100000") == nil)
    }

    @Test func cgroupV1Pairs() {
        #expect(CPUQuota.cgroupV1(quota: "-1\n", period: "100000\n") == nil)
        #expect(CPUQuota.cgroupV1(quota: "300000\n", period: "100000\n")?.cpus == 3)
        #expect(CPUQuota.cgroupV1(quota: "25000", period: "100000")?.cpus == 1)
        #expect(CPUQuota.cgroupV1(quota: "100000", period: "0") == nil)
    }
}

/// cgroup folders as fixtures: `files` maps paths under the mount point to their text.
private func cgroup(_ files: [String: String], membership: String) -> CgroupFiles {
    CgroupFiles(mountPoint: "/fixture", membership: membership) { path in
        path.hasPrefix("/fixture/") ? files[String(path.dropFirst("/fixture/".count))] : nil
    }
}

struct CgroupFilesTests {
    @Test func v2ContainerRoot() {
        let files = cgroup(["cpu.max": "400000 100000\n"], membership: "0::/\n")
        #expect(files.quota()?.quota.cpus == 4)
        #expect(files.quota()?.file == "/fixture/cpu.max")
    }

    @Test func v2NoLimit() {
        #expect(cgroup(["cpu.max": "max 100000\n"], membership: "0::/\n").quota() == nil)
    }

    @Test func v2NestedGroupTakesTheTightestAncestor() {
        let files = cgroup(["user.slice/cpu.max": "50000 100000\n", "user.slice/job/cpu.max": "max 100000\n",
                            "cpu.max": "200000 100000\n"],
                           membership: "0::/user.slice/job\n")
        #expect(files.quota()?.quota == CPUQuota(quota: 50000, period: 100000))
        #expect(files.quota()?.file == "/fixture/user.slice/cpu.max")
    }

    @Test func v1QuotaAndPeriod() {
        let files = cgroup(["cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "200000\n",
                            "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n"],
                           membership: "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n")
        #expect(files.quota()?.quota.cpus == 2)
    }

    @Test func v1UnlimitedQuota() {
        let files = cgroup(["cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"],
                           membership: "4:cpu,cpuacct:/\n")
        #expect(files.quota() == nil)
    }

    @Test func missingFilesMeanNoLimit() {
        #expect(cgroup([:], membership: "0::/a/b\n").quota() == nil)
        #expect(CgroupFiles(mountPoint: "/fixture", membership: nil, read: { _ in nil }).quota() == nil)
    }
}

