package userboot4j.loader;

/** FreeBSD's standard /boot/lua per release, oldest first: RELEASE CRC32 SIZE FILE (made by scripts/lua-digests). */
final class StandardScripts {
    static final String[] FILES = {
        "13.2 ce1cc5b6 6755 cli.lua",
        "13.2 174ebe37 3207 color.lua",
        "13.2 0d533e66 21020 config.lua",
        "13.2 04505b07 13547 core.lua",
        "13.2 f52ff5e1 12891 drawer.lua",
        "13.2 7a06c51b 2388 gfx-beastie.lua",
        "13.2 1a8d4bb5 2165 gfx-beastiebw.lua",
        "13.2 62463fcd 1891 gfx-fbsdbw.lua",
        "13.2 96d7f76b 2412 gfx-orb.lua",
        "13.2 2fbf4c26 2074 gfx-orbbw.lua",
        "13.2 ef1be46b 3263 hook.lua",
        "13.2 fa661e05 2330 loader.lua",
        "13.2 fe54e5a7 14423 menu.lua",
        "13.2 d29e0ec2 4234 password.lua",
        "13.2 b8918dbc 2164 screen.lua",
        "15.1 81265a62 6731 cli.lua",
        "15.1 6799e1e3 3183 color.lua",
        "15.1 a3cb8ab0 23980 config.lua",
        "15.1 6b09e700 16182 core.lua",
        "15.1 418e7b6b 15703 drawer.lua",
        "15.1 8373f3fd 2391 gfx-beastie.lua",
        "15.1 794d5412 2168 gfx-beastiebw.lua",
        "15.1 6d13646e 1868 gfx-fbsdbw.lua",
        "15.1 a63dff60 717 gfx-install.lua",
        "15.1 1daf9a13 2450 gfx-orb.lua",
        "15.1 bd3e0b64 2084 gfx-orbbw.lua",
        "15.1 d97037a7 3249 hook.lua",
        "15.1 7a2e92b3 2364 loader.lua",
        "15.1 fc9f3460 15084 menu.lua",
        "15.1 b910c8bc 4250 password.lua",
        "15.1 bfba47d6 2140 screen.lua",
    };

    private StandardScripts() {
    }
}
