package safefile

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// exchange swaps the directories a and b atomically (renameat2 with
// RENAME_EXCHANGE, Linux 3.15; ext4, xfs, btrfs, tmpfs and others). Where
// the kernel or the file system cannot, it returns errNoExchange.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EXDEV),
		errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EPERM):
		return fmt.Errorf("%w: %v", errNoExchange, err)
	}
	return fmt.Errorf("swapping %s into place: %w", b, err)
}
