"""考核: the quarterly 三级预警 with notices and rectification (warnings), and the annual score, class
and its confirmation (grades)."""
