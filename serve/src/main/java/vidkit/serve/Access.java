package vidkit.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import vidkit.data.InvalidDataException;

/**
 * Who may use a server: its API token and its TLS identity.
 *
 * <p>The token ({@link ServeConfig#authToken()} or the first line of {@link
 * ServeConfig#authTokenFile()}: at least 16 visible ASCII characters) is asked of every request
 * except {@code /healthz}, as {@code Authorization: Bearer TOKEN} (API clients) or {@code
 * Authorization: Basic} with the token as the password (a browser, whose own prompt the {@code 401}'s
 * {@code WWW-Authenticate: Basic} header brings up once per session; the user name is ignored). The
 * comparison is of SHA-256 digests with {@link MessageDigest#isEqual} (constant time), so neither
 * the token's length nor its prefix leaks through timing.
 *
 * <p>TLS: a PKCS#12 keystore ({@link ServeConfig#tlsKeystore()}) holding the server's key and
 * certificate chain; {@link #clientContext()} trusts exactly that certificate (for the server's own
 * warm-up over loopback).
 */
final class Access {
    static final int MIN_TOKEN = 16;
    private final byte[] tokenDigest;
    private final String token;
    private final SSLContext serverContext;
    private final SSLContext clientContext;

    private Access(String token, SSLContext serverContext, SSLContext clientContext) {
        this.token = token;
        this.tokenDigest = token == null ? null : sha256(token.getBytes(StandardCharsets.UTF_8));
        this.serverContext = serverContext;
        this.clientContext = clientContext;
    }

    /** Reads the token and the keystore a config names; typed errors name the file or field. */
    static Access of(ServeConfig c) throws IOException {
        String token = c.authToken();
        if (c.authTokenFile() != null) {
            Path f = Path.of(c.authTokenFile());
            if (!Files.isRegularFile(f)) {
                throw new InvalidDataException(f, "authTokenFile does not exist");
            }
            String first = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            token = check(first, f.toString());
        }
        SSLContext server = null;
        SSLContext client = null;
        if (c.tlsKeystore() != null) {
            Path ks = Path.of(c.tlsKeystore());
            if (!Files.isRegularFile(ks)) {
                throw new InvalidDataException(ks, "tlsKeystore does not exist");
            }
            char[] password = c.tlsKeystorePassword().toCharArray();
            try (InputStream in = Files.newInputStream(ks)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                server = SSLContext.getInstance("TLS");
                server.init(kmf.getKeyManagers(), null, null);
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                for (String alias : java.util.Collections.list(store.aliases())) {
                    if (store.getCertificate(alias) != null) {
                        trusted.setCertificateEntry(alias, store.getCertificate(alias));
                    }
                }
                if (trusted.size() == 0) {
                    throw new InvalidDataException(ks, "holds no certificate");
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
                client = SSLContext.getInstance("TLS");
                client.init(null, tmf.getTrustManagers(), null);
            } catch (GeneralSecurityException | IOException e) {
                if (e instanceof InvalidDataException ide) {
                    throw ide;
                }
                throw new InvalidDataException(ks, "is not a PKCS#12 keystore this password opens: " + e.getMessage());
            }
        }
        return new Access(token, server, client);
    }

    /** A token as given: at least {@link #MIN_TOKEN} visible ASCII characters (no spaces). */
    static String check(String token, String where) {
        if (token.length() < MIN_TOKEN || !token.chars().allMatch(ch -> ch > 32 && ch < 127)) {
            throw new IllegalArgumentException(where + ": the API token must be at least " + MIN_TOKEN
                    + " visible ASCII characters without spaces (e.g. openssl rand -hex 24)");
        }
        return token;
    }

    boolean tokenRequired() {
        return tokenDigest != null;
    }

    /** Whether a request's {@code Authorization} header (may be null) carries the token. */
    boolean allows(String authorization) {
        if (tokenDigest == null) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        String given = null;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).strip();
        } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                given = colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return given != null && MessageDigest.isEqual(tokenDigest, sha256(given.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code Bearer TOKEN} for the server's own requests, or null without a token. */
    String authorization() {
        return token == null ? null : "Bearer " + token;
    }

    /** The server's TLS context, or null for plain HTTP. */
    SSLContext serverContext() {
        return serverContext;
    }

    /** A client context trusting the server's own certificate, or null for plain HTTP. */
    SSLContext clientContext() {
        return clientContext;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
