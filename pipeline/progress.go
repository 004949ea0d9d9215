package pipeline

// Progress receives coarse progress updates, once per batch of reads, never
// per read. Implementations must be safe to call from one goroutine at a time.
type Progress interface {
	// Reads reports reads processed so far and how many passed QC.
	Reads(done, passed int64)
	// Stage names the step that starts now ("classifying", "report").
	Stage(name string)
}

// NoProgress discards updates.
type NoProgress struct{}

// Reads implements Progress.
func (NoProgress) Reads(int64, int64) {}

// Stage implements Progress.
func (NoProgress) Stage(string) {}

// ByteProgress is an optional extension of Progress: Run also reports how
// many bytes of the input files it has read (compressed, as on disk) and
// their total size (0 when unknown, as for standard input).
type ByteProgress interface {
	Bytes(read, total int64)
}
