package dev.caravan.ingest;

import dev.caravan.data.CaravanException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A streaming CSV reader over bytes (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM). It keeps
 * one buffer and hands out fields as byte ranges, so numbers parse without a String per cell, and it feeds every
 * byte it reads to a digest, so the file is read once. Text is decoded strictly: invalid UTF-8 is an error that
 * names the line and field.
 */
final class CsvScanner implements Closeable {
    private static final byte QUOTE = '"';
    private static final int INITIAL_FIELDS = 64;
    private static final byte DOUBLED_QUOTES = 1;
    private static final byte NON_ASCII = 2;
    private static final byte QUOTED = 4;

    private final InputStream in;
    private final MessageDigest digest;
    private final byte delimiter;
    private final String fileName;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private byte[] buffer = new byte[1 << 20];
    private int position;
    private int limit;
    private boolean endOfInput;
    private boolean atStart = true;
    private long bytesRead;

    private long nextLine = 1;
    private long recordLine;
    private int fieldCount;
    private int[] starts = new int[INITIAL_FIELDS];
    private int[] ends = new int[INITIAL_FIELDS];
    /** Per field: DOUBLED_QUOTES, NON_ASCII and QUOTED bits. */
    private byte[] flags = new byte[INITIAL_FIELDS];

    CsvScanner(InputStream in, MessageDigest digest, char delimiter, String fileName) {
        if (delimiter > 127 || delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter '" + delimiter + "' must be one ASCII character other"
                    + " than a quote or a line break");
        }
        this.in = in;
        this.digest = digest;
        this.delimiter = (byte) delimiter;
        this.fileName = fileName;
    }

    /** Reads the next non-blank record; false at the end of the file. */
    boolean next() throws IOException {
        while (true) {
            if (endOfInput && position >= limit) {
                return false;
            }
            int parsedUpTo = parseRecord(position);
            if (parsedUpTo < 0) {
                if (endOfInput) {
                    throw CaravanException.badData(fileName + " line " + nextLine + ": a quoted field is never closed");
                }
                fill(position);
                continue;
            }
            position = parsedUpTo;
            if (fieldCount > 1 || ends[0] > starts[0] || (flags[0] & QUOTED) != 0) {
                return true;
            }
            // a blank line: skipped, as pandas does
        }
    }

    /**
     * Parses one record starting at {@code from}. Returns the position after it, or -1 when the buffer ends
     * first (the caller refills and parses the record again from its start).
     */
    private int parseRecord(int from) {
        byte[] buf = buffer;
        int end = limit;
        int i = from;
        long lines = 0;
        fieldCount = 0;
        while (true) {
            ensureFieldCapacity();
            byte fieldFlags = 0;
            int start;
            int fieldEnd;
            if (i < end && buf[i] == QUOTE) {
                fieldFlags = QUOTED;
                start = ++i;
                while (true) {
                    if (i >= end || (buf[i] == QUOTE && i + 1 >= end && !endOfInput)) {
                        return -1;
                    }
                    byte b = buf[i];
                    if (b == QUOTE) {
                        if (i + 1 < end && buf[i + 1] == QUOTE) {
                            fieldFlags |= DOUBLED_QUOTES;
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if (b == '\n') {
                        lines++;
                    } else if (b < 0) {
                        fieldFlags |= NON_ASCII;
                    }
                    i++;
                }
                fieldEnd = i++;
                if (i < end && buf[i] == '\r') {
                    if (i + 1 >= end && !endOfInput) {
                        return -1;
                    }
                    if (i + 1 >= end || buf[i + 1] == '\n') {
                        i++;
                    }
                }
                if (i >= end && !endOfInput) {
                    return -1;
                }
                if (i < end && buf[i] != delimiter && buf[i] != '\n') {
                    throw CaravanException.badData(fileName + " line " + (nextLine + lines) + ", field "
                            + (fieldCount + 1) + ": unexpected character after a closing quote");
                }
            } else {
                start = i;
                while (i < end) {
                    byte b = buf[i];
                    if (b == delimiter || b == '\n') {
                        break;
                    }
                    if (b < 0) {
                        fieldFlags |= NON_ASCII;
                    }
                    i++;
                }
                if (i >= end && !endOfInput) {
                    return -1;
                }
                fieldEnd = i;
                if (fieldEnd > start && buf[fieldEnd - 1] == '\r' && (i >= end || buf[i] == '\n')) {
                    fieldEnd--;
                }
            }
            starts[fieldCount] = start;
            ends[fieldCount] = fieldEnd;
            flags[fieldCount] = fieldFlags;
            fieldCount++;
            if (i >= end || buf[i] == '\n') {
                recordLine = nextLine;
                nextLine += lines + (i < end ? 1 : 0);
                return i < end ? i + 1 : i;
            }
            i++; // the delimiter
        }
    }

    private void ensureFieldCapacity() {
        if (fieldCount == starts.length) {
            starts = Arrays.copyOf(starts, fieldCount * 2);
            ends = Arrays.copyOf(ends, fieldCount * 2);
            flags = Arrays.copyOf(flags, fieldCount * 2);
        }
    }

    /** Moves the unfinished record to the front of the buffer (growing it if needed) and reads more bytes. */
    private void fill(int keepFrom) throws IOException {
        int kept = limit - keepFrom;
        if (kept == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        } else if (keepFrom > 0) {
            System.arraycopy(buffer, keepFrom, buffer, 0, kept);
        }
        position = 0;
        limit = kept;
        int read = in.readNBytes(buffer, limit, buffer.length - limit);
        if (read > 0) {
            digest.update(buffer, limit, read);
            bytesRead += read;
            if (atStart) {
                atStart = false;
                if (read >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB && buffer[2] == (byte) 0xBF) {
                    position = 3;
                }
            }
        }
        limit += read;
        endOfInput = limit < buffer.length;
    }

    int fieldCount() {
        return fieldCount;
    }

    /** The physical line (1-based) where the current record starts. */
    long line() {
        return recordLine;
    }

    long bytesRead() {
        return bytesRead;
    }

    byte[] buffer() {
        return buffer;
    }

    int start(int field) {
        return starts[field];
    }

    int end(int field) {
        return ends[field];
    }

    boolean isEmpty(int field) {
        return ends[field] == starts[field];
    }

    /** The field as text; undoes doubled quotes and rejects invalid UTF-8 with the line and field. */
    String text(int field) {
        int start = starts[field];
        int length = ends[field] - start;
        if ((flags[field] & NON_ASCII) == 0) {
            String ascii = new String(buffer, start, length, StandardCharsets.ISO_8859_1);
            return (flags[field] & DOUBLED_QUOTES) == 0 ? ascii : ascii.replace("\"\"", "\"");
        }
        try {
            String decoded =
                    decoder.decode(ByteBuffer.wrap(buffer, start, length)).toString();
            return (flags[field] & DOUBLED_QUOTES) == 0 ? decoded : decoded.replace("\"\"", "\"");
        } catch (CharacterCodingException e) {
            throw CaravanException.badData(fileName + " line " + recordLine + ", field " + (field + 1)
                    + ": invalid UTF-8 (the file must be UTF-8 encoded)");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
