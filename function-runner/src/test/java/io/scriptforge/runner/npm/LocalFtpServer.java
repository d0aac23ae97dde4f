package io.scriptforge.runner.npm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An FTP server on 127.0.0.1 just large enough for the ftp module's exchange: login, passive mode,
 * LIST and RETR of fixed files. One thread per control connection; plain blocking sockets.
 */
public final class LocalFtpServer implements AutoCloseable {
    private final ServerSocket control;
    private final Map<String, String> files;
    /** The commands received, in order ("USER ada", "PASV", ...). */
    public final List<String> commands = new CopyOnWriteArrayList<>();

    public LocalFtpServer(Map<String, String> files) throws IOException {
        this.files = files;
        this.control = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "test-ftp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return control.getLocalPort();
    }

    private void accept() {
        while (!control.isClosed()) {
            try {
                Socket client = control.accept();
                Thread session = new Thread(() -> serve(client), "test-ftp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = client.getOutputStream();
            reply(out, "220 ScriptForge test FTP");
            ServerSocket passive = null;
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase();
                String arg = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
                switch (verb) {
                    case "USER" -> reply(out, "331 Password required");
                    case "PASS" -> reply(out, "230 Logged in");
                    case "SYST" -> reply(out, "215 UNIX Type: L8");
                    case "TYPE", "OPTS", "MODE", "STRU" -> reply(out, "200 OK");
                    case "PWD" -> reply(out, "257 \"/\" is the current directory");
                    case "PASV" -> {
                        passive = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                        int p = passive.getLocalPort();
                        reply(out, "227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 0xff) + ")");
                    }
                    case "LIST" ->
                        transfer(
                                out,
                                passive,
                                String.join(
                                        "",
                                        files.entrySet().stream()
                                                .map(f -> "-rw-r--r-- 1 ftp ftp "
                                                        + f.getValue().length() + " Jan 02 10:00 " + f.getKey()
                                                        + "\r\n")
                                                .toList()));
                    case "RETR" -> {
                        if (files.containsKey(arg)) {
                            transfer(out, passive, files.get(arg));
                        } else {
                            reply(out, "550 No such file");
                        }
                    }
                    case "QUIT" -> {
                        reply(out, "221 Bye");
                        return;
                    }
                    default -> reply(out, "502 Command not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to serve
        }
    }

    private static void transfer(OutputStream out, ServerSocket passive, String content) throws IOException {
        if (passive == null) {
            reply(out, "425 Use PASV first");
            return;
        }
        reply(out, "150 Opening data connection");
        try (passive;
                Socket data = passive.accept()) {
            data.getOutputStream().write(content.getBytes(StandardCharsets.UTF_8));
        }
        reply(out, "226 Transfer complete");
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        control.close();
    }
}
