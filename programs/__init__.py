"""Records of international low-carbon city programmes (APEC LCMT, ASEAN ESC, JCM)."""
