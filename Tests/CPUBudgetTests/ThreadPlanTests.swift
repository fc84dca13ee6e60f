import Testing
@testable import CPUBudget

struct ThreadPlanTests {
    let two = CPUBudget(processors: 2, affinity: 2, quota: nil)

    @Test func autoGivesEachTheBudget() throws {
        let plan = try ThreadPlan(budget: two, environment: [:])
        #expect(plan.computeThreads == 2 && plan.computeOrigin == .auto)
        #expect(plan.loaderWorkers == 2 && plan.loaderOrigin == .auto)
        #expect(plan.description
                == "CPU budget 2 CPUs (processor count); compute threads 2 (auto); loader workers 2 (auto)")
    }

    @Test func precedenceEnvironmentFileFlag() throws {
        let env = ["OMP_NUM_THREADS": "3"]
        #expect(try ThreadPlan(budget: two, environment: env).computeThreads == 3)
        #expect(try ThreadPlan(budget: two, environment: env).computeOrigin == .environment)
        let file = try ThreadPlan(budget: two, environment: env, threads: .init(file: .fixed(1)))
        #expect(file.computeThreads == 1 && file.computeOrigin == .file)
        let flag = try ThreadPlan(budget: two, environment: env, threads: .init(file: .fixed(1), flag: .fixed(4)))
        #expect(flag.computeThreads == 4 && flag.computeOrigin == .flag)
        let flagAuto = try ThreadPlan(budget: two, environment: env, threads: .init(file: .fixed(1), flag: .auto))
        #expect(flagAuto.computeThreads == 2 && flagAuto.computeOrigin == .auto)
        let fileAuto = try ThreadPlan(budget: two, environment: env, threads: .init(file: .auto))
        #expect(fileAuto.computeThreads == 2 && fileAuto.computeOrigin == .auto)
    }

    @Test func workersFromFileAndFlag() throws {
        let file = try ThreadPlan(budget: two, environment: [:], workers: .init(file: .fixed(1)))
        #expect(file.loaderWorkers == 1 && file.loaderOrigin == .file)
        let flag = try ThreadPlan(budget: two, environment: [:], workers: .init(file: .fixed(1), flag: .fixed(3)))
        #expect(flag.loaderWorkers == 3 && flag.loaderOrigin == .flag)
        // OMP_NUM_THREADS is OpenMP's: it does not set the loader.
        #expect(try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": "1"]).loaderWorkers == 2)
    }

    @Test func openMPListTakesItsFirstLevel() throws {
        #expect(try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": "4,2"]).computeThreads == 4)
    }

    @Test func badEnvironmentIsATypedError() {
        for bad in ["0", "-1", "two", "auto"] {
            #expect(throws: ThreadCountError.self) { try ThreadPlan(budget: two, environment: ["OMP_NUM_THREADS": bad]) }
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
        let sixteen = try ThreadPlan(budget: CPUBudget(processors: 16, affinity: 16, quota: nil), environment: [:])
        #expect(sixteen.computeThreads == 16 && sixteen.loaderWorkers == 16)
        let container = CPUBudget(processors: 64, affinity: 64,
                                  quota: (CPUQuota(quota: 400_000, period: 100_000), "/sys/fs/cgroup/cpu.max"))
        #expect(try ThreadPlan(budget: container, environment: [:]).computeThreads == 4)
        let rank = try ThreadPlan(budget: CPUBudget(processors: 16, affinity: 4, quota: nil), environment: [:])
        #expect(rank.computeThreads == 4 && rank.loaderWorkers == 4)
    }
}
