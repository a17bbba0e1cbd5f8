// `bench ingest` and `bench boot`: measure the real release binary (see BenchCommand.swift).
await BenchMain.run()
