package io.scriptforge.runner.app.files;

/**
 * One stored file as a client lists it.
 *
 * @param created  epoch milliseconds
 * @param modified epoch milliseconds
 * @param folder   the folder reference in its canonical text form (e.g. {@code 42}, a lowercase UUID)
 */
public record FileInfo(long id, String name, long size, long created, long modified, String folder) {}
