// Ids shared by the benchmark programs and the benchmark driver (which seeds the emulator with
// them): Alibaba Tair cluster instances and Huawei DCS Redis 6.0 instances.
"use strict";

/** Alibaba instance ids for direct connections and for SSL. */
const tairDirect = (i) => `r-bench-direct-${i}`;
const tairSsl = (i) => `r-bench-ssl-${i}`;
/** Huawei DCS instance ids (UUIDs). */
const dcs = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** How many of each the 40-resource stack declares. */
const COUNTS = { kakaoGroups: 8, tairDirect: 6, tairSsl: 4, dcs: 6 };

module.exports = { tairDirect, tairSsl, dcs, COUNTS };
