package dev.lunas.legacyimport;

/** The import cannot run, or failed and wrote nothing: its message says why, without contact data. */
public class ImportException extends RuntimeException {

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
