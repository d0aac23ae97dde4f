package io.scriptforge.runner.app.files;

import java.io.IOException;

/** Receives a file's content chunk by chunk, in order; may block until the receiver can take more. */
@FunctionalInterface
public interface ChunkSink {
    void chunk(byte[] data) throws IOException;
}
