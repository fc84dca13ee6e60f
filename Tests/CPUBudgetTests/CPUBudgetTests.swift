import Testing
@testable import CPUBudget

struct CPUBudgetTests {
    @Test func processorCountWhenNothingLimits() {
        let budget = CPUBudget(processors: 16, affinity: 16, quota: nil)
        #expect(budget.cpus == 16)
        #expect(budget.origin == "processor count")
    }

    @Test func affinityMaskLimits() {
        // taskset -c 0 on a 2-core machine; mpirun -np 4 --bind-to core on 16 cores gives each rank 1.
        #expect(CPUBudget(processors: 2, affinity: 1, quota: nil) == CPUBudget(processors: 1, affinity: nil, quota: nil)
                    .with(origin: "affinity mask"))
        #expect(CPUBudget(processors: 16, affinity: 4, quota: nil).cpus == 4)
    }

    @Test func quotaLimitsBelowTheMask() {
        let quota = (quota: CPUQuota(quota: 400_000, period: 100_000), file: "/sys/fs/cgroup/cpu.max")
        let budget = CPUBudget(processors: 64, affinity: 64, quota: quota)
        #expect(budget.cpus == 4)
        #expect(budget.origin == "cgroup quota /sys/fs/cgroup/cpu.max (400000 100000)")
        #expect(CPUBudget(processors: 64, affinity: 2, quota: quota).cpus == 2)
    }

    @Test func mpiRanksShareTheNode() {
        // mpirun -np 4 on 16 cores: unbound (or bound to the one socket), each rank gets 4.
        let unbound = CPUBudget(processors: 16, affinity: 16, quota: nil, localRanks: 4)
        #expect(unbound.cpus == 4)
        #expect(unbound.origin == "16 processors shared by 4 MPI ranks")
        // Bound to 4 cores each: the mask already says so.
        #expect(CPUBudget(processors: 16, affinity: 4, quota: nil, localRanks: 4).origin == "affinity mask")
        // Two sockets of 16, bound to a socket, 4 ranks: 8 each, not 16.
        #expect(CPUBudget(processors: 32, affinity: 16, quota: nil, localRanks: 4).cpus == 8)
        #expect(CPUBudget(processors: 2, affinity: 2, quota: nil, localRanks: 4).cpus == 1)
        #expect(CPUBudget.localRanks(["OMPI_COMM_WORLD_LOCAL_SIZE": "4"]) == 4)
        #expect(CPUBudget.localRanks(["MPI_LOCALNRANKS": "2"]) == 2)
        #expect(CPUBudget.localRanks([:]) == nil)
    }

    @Test func atLeastOne() {
        #expect(CPUBudget(processors: 0, affinity: nil, quota: nil).cpus == 1)
        let tiny = (quota: CPUQuota(quota: 10_000, period: 100_000), file: "cpu.max")
        #expect(CPUBudget(processors: 8, affinity: nil, quota: tiny).cpus == 1)
    }

    @Test func thisProcessHasABudgetWithinItsMask() {
        let budget = CPUBudget.current
        #expect(budget.cpus >= 1)
        if let mask = AffinityMask.cpuCount() { #expect(budget.cpus <= mask) }
    }
}

extension CPUBudget {
    func with(origin: String) -> CPUBudget {
        var copy = self
        copy.origin = origin
        return copy
    }
}

struct AffinityMaskTests {
    @Test func cpuLists() {
        #expect(AffinityMask.cpuCount(list: "0-1") == 2)
        #expect(AffinityMask.cpuCount(list: "0") == 1)
        #expect(AffinityMask.cpuCount(list: "0-3,8,10-11\n") == 7)
        #expect(AffinityMask.cpuCount(list: "") == nil)
        #expect(AffinityMask.cpuCount(list: "3-1") == nil)
        #expect(AffinityMask.cpuCount(list: "a-b") == nil)
    }

    @Test func statusFile() {
        let status = "Name:\taugment\nCpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed_list:\t0\n"
        #expect(AffinityMask.cpuCount(status: status) == 1)
        #expect(AffinityMask.cpuCount(status: "Name:\tx\n") == nil)
        #expect(AffinityMask.cpuCount(status: nil) == nil)
    }
}
