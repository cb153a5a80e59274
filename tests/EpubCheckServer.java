// EPUBCheck for the tests, in one Java process: each line read is an EPUB's path and the path
// of the JSON report to write, a tab between; each is answered by a line "epubcheck-done N",
// N being the exit status EPUBCheck's command line would give. A JVM and EPUBCheck take
// seconds to start, a book then a fraction of one (tests/epubchecking.py).

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class EpubCheckServer {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                                                                     StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] paths = line.split("\t");
            int status = new EpubChecker().run(new String[] {
                paths[0], "-q", "--profile", "default", "--json", paths[1]});
            System.out.println("epubcheck-done " + status);
            System.out.flush();
        }
    }
}
