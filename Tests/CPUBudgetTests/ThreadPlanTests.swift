import Foundation
import Testing
import TestSupport
@testable import CPUBudget

struct ThreadPlanTests {
    let two = CPUBudget(processors: 2, affinity: 2, quota: nil)

    @Test func autoGivesEachTheBudget() throws {
        let plan = try ThreadPlan(budget: two, environment: [:], othersRunning: 0)
        #expect(plan.computeThreads == 2 && plan.computeOrigin == .auto)
        #expect(plan.loaderWorkers == 2 && plan.loaderOrigin == .auto)
        #expect(plan.description
                == "CPU budget 2 CPUs (processor count); compute threads 2 (auto); loader workers 2 (auto)")
    }

    @Test func precedenceEnvironmentFileFlag() throws {
        let env = ["OMP_NUM_THREADS": "3"]
        #expect(try ThreadPlan(budget: two, environment: env, othersRunning: 0).computeThreads == 3)
        #expect(try ThreadPlan(budget: two, environment: env, othersRunning: 0).computeOrigin == .environment)
        let file = try ThreadPlan(budget: two, environment: env, threads: .init(file: .fixed(1)), othersRunning: 0)
        #expect(file.computeThreads == 1 && file.computeOrigin == .file)
        let flag = try ThreadPlan(budget: two, environment: env, threads: .init(file: .fixed(1), flag: .fixed(4)), othersRunning: 0)
        #expect(flag.computeThreads == 4 && flag.computeOrigin == .flag)
        let flagAuto = try ThreadPlan(budget: two, environment: env, threads: .init(file: .fixed(1), flag: .auto), othersRunning: 0)
        #expect(flagAuto.computeThreads == 2 && flagAuto.computeOrigin == .auto)
        let fileAuto = try ThreadPlan(budget: two, environment: env, threads: .init(file: .auto), othersRunning: 0)
        #expect(fileAuto.computeThreads == 2 && fileAuto.computeOrigin == .auto)
    }

    @Test func workersFromFileAndFlag() throws {
        let file = try ThreadPlan(budget: two, environment: [:], workers: .init(file: .fixed(1)), othersRunning: 0)
        #expect(file.loaderWorkers == 1 && file.loaderOrigin == .file)
        let flag = try ThreadPlan(budget: two, environment: [:], workers: .init(file: .fixed(1), flag: .fixed(3)), othersRunning: 0)
        #expect(flag.loaderWorkers == 3 && flag.loaderOrigin == .flag)
        // OMP_NUM_THREADS is OpenMP's: it does not set the loader.
        #expect(try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": "1"], othersRunning: 0).loaderWorkers == 2)
    }

    @Test func openMPListTakesItsFirstLevel() throws {
        #expect(try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": "4,2"], othersRunning: 0).computeThreads == 4)
    }

    @Test func badEnvironmentIsATypedError() {
        for bad in ["0", "-1", "two", "auto"] {
            #expect(throws: ThreadCountError.self) { try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": bad], othersRunning: 0) }
        }
    }

    @Test func threadCountParsing() throws {
        #expect(try ThreadCount(parsing: "auto", setting: "--threads") == .auto)
        #expect(try ThreadCount(parsing: " 3 ", setting: "--threads") == .fixed(3))
        #expect(throws: ThreadCountError(setting: "--threads", value: "0")) {
            try ThreadCount(parsing: "0", setting: "--threads")
        }
        #expect(throws: ThreadCountError(setting: "threads", value: "-1")) {
            try ThreadCount(validating: -1, setting: "threads")
        }
        #expect(ThreadCountError(setting: "--threads", value: "0").description
                == "--threads must be auto or a positive integer, got '0'")
    }

    @Test func largeMachinesAndQuotas() throws {
        // The README's paper table.
        let sixteen = try ThreadPlan(budget: CPUBudget(processors: 16, affinity: 16, quota: nil), environment: [:], othersRunning: 0)
        #expect(sixteen.computeThreads == 16 && sixteen.loaderWorkers == 16)
        let container = CPUBudget(processors: 64, affinity: 64,
                                  quota: (CPUQuota(quota: 400_000, period: 100_000), "/sys/fs/cgroup/cpu.max"))
        #expect(try ThreadPlan(budget: container, environment: [:], othersRunning: 0).computeThreads == 4)
        let rank = try ThreadPlan(budget: CPUBudget(processors: 16, affinity: 4, quota: nil), environment: [:], othersRunning: 0)
        #expect(rank.computeThreads == 4 && rank.loaderWorkers == 4)
    }

    @Test func automaticReplicasSplitTheBatchIntoSharesOfSixteenOrMore() {
        let cases: [(budget: Int, batch: Int, replicas: Int)] = [
            (2, 64, 2), (2, 32, 2), (2, 24, 1), (2, 16, 1), (1, 64, 1), (3, 64, 2), (3, 96, 3),
            (16, 64, 4), (16, 256, 16), (64, 64, 4), (64, 48, 3),
        ]
        for (budget, batch, replicas) in cases {
            #expect(ThreadPlan.automaticReplicas(budget: budget, batchSize: batch) == replicas, "budget \(budget), batch \(batch)")
        }
    }

    @Test func replicasTakeTheBudgetWhenTheComputeCountIsAuto() throws {
        let plan = try ThreadPlan(budget: two, environment: [:], batchSize: 64, othersRunning: 0)
        #expect(plan.replicas == 2 && plan.replicasOrigin == .auto && plan.computeThreads == 1)
        #expect(plan.description
                == "CPU budget 2 CPUs (processor count); compute threads 1 (auto) × 2 replicas (auto); loader workers 2 (auto)")
        // Replicas meet once a step, not at every parallel region: other processes do not count them down.
        let loaded = try ThreadPlan(budget: two, environment: [:], batchSize: 64, othersRunning: 2)
        #expect(loaded.replicas == 2 && loaded.computeThreads == 1)
        let sixteen = try ThreadPlan(budget: CPUBudget(processors: 16, affinity: 16, quota: nil), environment: [:],
                                     batchSize: 64, othersRunning: 4)
        #expect(sixteen.replicas == 4 && sixteen.computeThreads == 3)
        // Without a batch (evaluation, prediction) or with a small one: one team.
        #expect(try ThreadPlan(budget: two, environment: [:], othersRunning: 0).replicas == 1)
        #expect(try ThreadPlan(budget: two, environment: [:], batchSize: 16, othersRunning: 0).computeThreads == 2)
    }

    @Test func aComputeCountTheUserSetKeepsOneTeam() throws {
        for threads in [ThreadPlan.Request(file: .fixed(2)), ThreadPlan.Request(flag: .fixed(1))] {
            let plan = try ThreadPlan(budget: two, environment: [:], threads: threads, batchSize: 64, othersRunning: 0)
            #expect(plan.replicas == 1 && plan.replicasOrigin == .auto)
            #expect(!plan.description.contains("replica"))
        }
        #expect(try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": "2"], batchSize: 64, othersRunning: 0).replicas == 1)
        let both = try ThreadPlan(budget: two, environment: [:], threads: .init(flag: .fixed(2)), replicas: .init(file: .fixed(2)),
                                  batchSize: 64, othersRunning: 0)
        #expect(both.replicas == 2 && both.replicasOrigin == .file && both.computeThreads == 2)
    }

    @Test func replicasSetByTheUser() throws {
        let flag = try ThreadPlan(budget: CPUBudget(processors: 16, affinity: 16, quota: nil), environment: [:],
                                  replicas: .init(file: .fixed(2), flag: .fixed(4)), batchSize: 64, othersRunning: 0)
        #expect(flag.replicas == 4 && flag.replicasOrigin == .flag && flag.computeThreads == 4)
        #expect(throws: ThreadCountError(setting: "--replicas", value: "3", reason: "does not split the batch of 64 evenly")) {
            try ThreadPlan(budget: two, environment: [:], replicas: .init(flag: .fixed(3)), batchSize: 64, othersRunning: 0)
        }
        #expect(ThreadCountError(setting: "training.replicas", value: "3", reason: "does not split the batch of 64 evenly").description
                == "training.replicas 3 does not split the batch of 64 evenly")
        // Under MPI every process trains one replica.
        #expect(try ThreadPlan(budget: two, environment: [:], batchSize: 64, processes: 2, othersRunning: 0).replicas == 1)
        #expect(throws: ThreadCountError(setting: "training.replicas", value: "2",
                                         reason: "cannot combine with 2 MPI processes: each process trains one replica")) {
            try ThreadPlan(budget: two, environment: [:], replicas: .init(file: .fixed(2)), batchSize: 64, processes: 2, othersRunning: 0)
        }
    }

    @Test func autoLeavesTheCoresOtherProcessesHold() throws {
        #expect(ThreadPlan.automaticCount(budget: 2, processors: 2, othersRunning: 0) == 2)
        #expect(ThreadPlan.automaticCount(budget: 2, processors: 2, othersRunning: 1) == 1)
        #expect(ThreadPlan.automaticCount(budget: 2, processors: 2, othersRunning: 2) == 1)
        #expect(ThreadPlan.automaticCount(budget: 2, processors: 2, othersRunning: 9) == 1)
        // A 4-CPU quota on a 64-core host: the quota binds until fewer than 4 cores are free.
        #expect(ThreadPlan.automaticCount(budget: 4, processors: 64, othersRunning: 60) == 4)
        #expect(ThreadPlan.automaticCount(budget: 4, processors: 64, othersRunning: 62) == 2)
        #expect(ThreadPlan.automaticCount(budget: 16, processors: 16, othersRunning: 4) == 12)

        // The loader's workers never wait for each other: they keep the budget.
        let busy = try ThreadPlan(budget: two, environment: [:], othersRunning: 2)
        #expect(busy.computeThreads == 1 && busy.computeOrigin == .auto)
        #expect(busy.loaderWorkers == 2 && busy.loaderOrigin == .auto)
        #expect(busy.description == "CPU budget 2 CPUs (processor count); 2 threads of other processes running; "
                + "compute threads 1 (auto); loader workers 2 (auto)")
        // A number from the environment, the file or the flag is taken as it is.
        let fixed = try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": "2"],
                                   workers: .init(flag: .fixed(2)), othersRunning: 2)
        #expect(fixed.computeThreads == 2 && fixed.loaderWorkers == 2)
    }

    @Test func onlyAnAutomaticComputeCountMeasuresTheMachine() throws {
        try withSpinningProcesses(2) {
            Thread.sleep(forTimeInterval: 0.05)
            let fixed = try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": "2"])
            #expect(fixed.othersRunning == 0 && fixed.loaderWorkers == 2)
            let automatic = try ThreadPlan(budget: two, environment: [:])
            #expect(automatic.othersRunning >= 2 && automatic.computeThreads == 1)
        }
    }
}
