package assessment

import (
	"bytes"
	"io"
)

// bytesReader wraps b as an io.Reader.
func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
