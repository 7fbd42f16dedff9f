<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AlarmDetail</name>
    <message>
        <location filename="../../qml/alarms/AlarmDetail.qml" line="+20"/>
        <source>The alarm is closed</source>
        <translation>경보가 종료되었습니다</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Select an alarm</source>
        <translation>경보를 선택하세요</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>%1 · %2 · raised %3 ago</source>
        <translation>%1 · %2 · %3 전 발생</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>district unknown</source>
        <translation>구 미상</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Assigned to %1 · escalated %2×</source>
        <translation>담당 %1 · 상향 %2회</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Acknowledge</source>
        <translation>확인</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Comment</source>
        <translation>의견</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Unshelve</source>
        <translation>보류 해제</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shelve</source>
        <translation>보류</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Assign</source>
        <translation>배정</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Escalate</source>
        <translation>상향</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>종료</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saving…</source>
        <translation>저장 중…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Refused: %1</source>
        <translation>거부됨: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Procedure</source>
        <translation>대응 절차</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Linked CCTV</source>
        <translation>연계 CCTV</translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n member(s)</source>
        <translation>
            <numerusform>구성 %n건</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>History</source>
        <translation>이력</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1  %2 · %3%4</source>
        <translation>%1  %2 · %3%4</translation>
    </message>
</context>
<context>
    <name>AlarmDialog</name>
    <message>
        <location filename="../../qml/alarms/AlarmDialog.qml" line="+53"/>
        <source>Shelve: why, and for how long?</source>
        <translation>보류 사유와 기간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign to</source>
        <translation>배정 대상</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>의견</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+5"/>
        <source>%1 min</source>
        <translation>%1분</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+5"/>
        <source>%1 h</source>
        <translation>%1시간</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Refused: %1</source>
        <translation>거부됨: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>OK</source>
        <translation>확인</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <location filename="../../qml/panels/AlarmPanel.qml" line="+54"/>
        <source>Filter alarms…</source>
        <translation>경보 검색…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hide acknowledged</source>
        <translation>확인된 경보 숨김</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sound</source>
        <translation>경보음</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 open · %2 unacknowledged · desk %3</source>
        <translation>미종료 %1건 · 미확인 %2건 · %3 데스크</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No open alarms</source>
        <translation>미종료 경보 없음</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No alarm matches the filter</source>
        <translation>조건에 맞는 경보 없음</translation>
    </message>
</context>
<context>
    <name>AlarmRefusal</name>
    <message>
        <location filename="../../core/alarms/Alarm.cpp" line="+63"/>
        <source>the alarm is already acknowledged</source>
        <translation>이미 확인된 경보입니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the alarm is closed; there is nothing to acknowledge</source>
        <translation>종료된 경보라 확인할 것이 없습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a shelved, suppressed or out-of-service alarm cannot be acknowledged; bring it back first</source>
        <translation>보류·억제·운영 제외된 경보는 확인할 수 없습니다. 먼저 되돌리세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>say to whom the alarm is assigned</source>
        <translation>담당자를 지정하세요</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the alarm is closed</source>
        <translation>종료된 경보입니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a comment needs text</source>
        <translation>메모 내용을 입력하세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>priority-1 alarms cannot be shelved</source>
        <translation>1순위 경보는 보류할 수 없습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>only a standing alarm can be shelved</source>
        <translation>발생 중인 경보만 보류할 수 있습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>shelving needs a reason</source>
        <translation>보류 사유를 입력하세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>shelve for between 1 minute and 24 hours</source>
        <translation>보류 시간은 1분에서 24시간 사이여야 합니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the alarm is not shelved</source>
        <translation>보류된 경보가 아닙니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the shelving time is not over</source>
        <translation>보류 시간이 아직 끝나지 않았습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>only an active, visible alarm can be escalated</source>
        <translation>발생 중이고 표시된 경보만 상향 보고할 수 있습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>only an unacknowledged alarm is reminded of</source>
        <translation>미확인 경보만 재알림합니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>say which step of the procedure (1, 2, ...)</source>
        <translation>처리 절차의 단계 번호(1, 2, …)를 지정하세요</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>say to which desk</source>
        <translation>전달할 데스크를 지정하세요</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a notification outcome needs text</source>
        <translation>통보 결과 내용이 필요합니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the alarm is already closed</source>
        <translation>이미 종료된 경보입니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the condition is still active; it can be acknowledged, not closed</source>
        <translation>상황이 계속되고 있어 종료할 수 없습니다. 확인만 할 수 있습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a shelved, suppressed or out-of-service alarm cannot be closed; bring it back first</source>
        <translation>보류·억제·운영 제외된 경보는 종료할 수 없습니다. 먼저 되돌리세요</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the alarm is already out of service</source>
        <translation>이미 운영 제외된 경보입니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>taking an alarm out of service needs a reason</source>
        <translation>운영 제외 사유를 입력하세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the alarm is not out of service</source>
        <translation>운영 제외된 경보가 아닙니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the alarm is out of service</source>
        <translation>운영 제외된 경보입니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the alarm is not suppressed</source>
        <translation>억제된 경보가 아닙니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown command</source>
        <translation>알 수 없는 명령입니다</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>another command on this alarm is being saved</source>
        <translation>이 알람에 대한 다른 명령을 저장하는 중입니다</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>no open alarm %1</source>
        <translation>열린 경보 %1이(가) 없습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a command needs the actor</source>
        <translation>명령에는 수행자가 필요합니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not permitted: %1</source>
        <translation>권한이 없습니다: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not saved, so not done: %1</source>
        <translation>저장되지 않아 처리하지 않았습니다: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>raised but not saved: %1</source>
        <translation>경보는 발생했으나 저장되지 않았습니다: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>already dispatched to %1</source>
        <translation>이미 %1에 전달되었습니다</translation>
    </message>
</context>
<context>
    <name>AlarmRow</name>
    <message>
        <location filename="../../qml/alarms/AlarmRow.qml" line="+61"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>AssetDetailPanel</name>
    <message>
        <location filename="../../qml/map/AssetDetailPanel.qml" line="+22"/>
        <source>CCTV site</source>
        <translation>CCTV 설치 지점</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public WiFi</source>
        <translation>공공 와이파이</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>u-Green water-quality sensor (stream)</source>
        <translation>u-Green 수질 센서 (하천·연못)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>u-Green tap-water sensor</source>
        <translation>u-Green 수돗물(아리수) 수질 센서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S-DoT sensor</source>
        <translation>S-DoT 센서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Streetlight</source>
        <translation>가로등</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>u-Shelter bus stop</source>
        <translation>u-쉘터 버스정류장</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Safety device</source>
        <translation>안심 단말기</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>District</source>
        <translation>자치구</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>주소</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Purpose</source>
        <translation>설치 목적</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cameras</source>
        <translation>카메라 수</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lamp</source>
        <translation>램프</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Power</source>
        <translation>전력</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>View direction</source>
        <translation>촬영 방면</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read as</source>
        <translation>해석</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stream</source>
        <translation>영상 주소</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indoor/outdoor</source>
        <translation>실내/실외</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SOS</source>
        <translation>SOS 긴급호출</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Air quality</source>
        <translation>대기질</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Safe zones</source>
        <translation>안심 구역</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Centre on map</source>
        <translation>지도 중앙에 표시</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>EngineBackend</name>
    <message>
        <location filename="../../app/EngineBackend.cpp" line="+56"/>
        <source>Alarm rules file: %1. The built-in rules apply there.</source>
        <translation>경보 규칙 파일: %1. 그 부분은 기본 규칙을 적용합니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Guardians are not sent SMS: the gateway settings are unusable (%1).</source>
        <translation>보호자 문자가 발송되지 않습니다. 문자 중계 설정을 쓸 수 없습니다(%1).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Guardian SMS are sent but not recorded (%1): after a restart one may be sent twice.</source>
        <translation>보호자 문자는 발송되지만 기록되지 않습니다(%1). 재시작 후 중복 발송될 수 있습니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alarm changes are not being saved (%1); they stay on screen.</source>
        <translation>경보 변경 내용이 저장되지 않고 있습니다(%1). 화면에는 그대로 표시됩니다.</translation>
    </message>
</context>
<context>
    <name>KpiStrip</name>
    <message>
        <location filename="../../qml/panels/KpiStrip.qml" line="+30"/>
        <source>%1 in 10 min</source>
        <translation>최근 10분 %1건</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>avg %1 · peak %2</source>
        <translation>평균 %1 · 최대 %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Alarm flood</source>
        <translation>경보 폭주</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Stale %1 · chattering %2</source>
        <translation>장기 미해결 %1 · 채터링 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stale %1</source>
        <translation>장기 미해결 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>In flood %1% of the time</source>
        <translation>폭주 시간 %1%</translation>
    </message>
</context>
<context>
    <name>LayerList</name>
    <message>
        <location filename="../../qml/map/LayerList.qml" line="+33"/>
        <source>Map layers</source>
        <translation>지도 레이어</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>(not available)</source>
        <translation>(사용 불가)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(from the network)</source>
        <translation>(네트워크에서 받음)</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../../qml/Main.qml" line="+15"/>
        <source>Gwanje — Seoul integrated operations console</source>
        <translation>관제 — 서울 통합관제 콘솔</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Alarms (%1)</source>
        <translation>경보 (%1)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarms</source>
        <translation>경보</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>City assets</source>
        <translation>도시 시설</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <location filename="../../qml/map/MapLegend.qml" line="+21"/>
        <source>CCTV site</source>
        <translation>CCTV 설치 지점</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Public WiFi AP</source>
        <translation>공공 와이파이 AP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sensor (air, water)</source>
        <translation>센서 (대기, 수질)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>u-Shelter bus stop</source>
        <translation>u-쉘터 버스정류장</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Streetlight</source>
        <translation>가로등</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Safety device (wearer)</source>
        <translation>안심 단말기 (착용자)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SOS</source>
        <translation>SOS 긴급호출</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>District (gu)</source>
        <translation>자치구 경계</translation>
    </message>
</context>
<context>
    <name>MapPane</name>
    <message>
        <location filename="../../qml/map/MapPane.qml" line="+27"/>
        <source>Loading Seoul data…</source>
        <translation>서울 데이터를 불러오는 중…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Zoom in</source>
        <translation>확대</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Zoom out</source>
        <translation>축소</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Map layers</source>
        <translation>지도 레이어</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show all of Seoul</source>
        <translation>서울 전체 보기</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>CCTV</source>
        <translation>CCTV</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Public WiFi</source>
        <translation>공공 와이파이</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sensors</source>
        <translation>센서</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>u-Shelters</source>
        <translation>u-쉘터</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Streetlights</source>
        <translation>가로등</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Safety devices</source>
        <translation>안심 단말기</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Events, last hour</source>
        <translation>최근 1시간 이벤트</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dong outlines</source>
        <translation>행정동 경계</translation>
    </message>
</context>
<context>
    <name>MapSearch</name>
    <message>
        <location filename="../../qml/map/MapSearch.qml" line="+78"/>
        <source>Search districts, CCTV, WiFi, sensors…</source>
        <translation>자치구, CCTV, 와이파이, 센서 검색…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nothing found</source>
        <translation>검색 결과 없음</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message numerus="yes">
        <location filename="../../qml/panels/ProblemBanner.qml" line="+36"/>
        <source>Some data could not be loaded (%n problem(s)); the map shows everything else.</source>
        <translation>
            <numerusform>일부 데이터를 불러오지 못했습니다(문제 %n건). 나머지는 지도에 표시됩니다.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScaleBar</name>
    <message>
        <location filename="../../qml/map/ScaleBar.qml" line="+23"/>
        <source>%1 km</source>
        <translation>%1 km</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 m</source>
        <translation>%1 m</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../../qml/panels/SidePanel.qml" line="+28"/>
        <source>City assets</source>
        <translation>도시 시설 현황</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>CCTV sites</source>
        <translation>CCTV 설치 지점</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 cameras</source>
        <translation>카메라 %1대</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Public WiFi APs</source>
        <translation>공공 와이파이 AP</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sensors</source>
        <translation>센서</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S-DoT air, u-Green water</source>
        <translation>S-DoT 대기, u-Green 수질</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Streetlights</source>
        <translation>가로등</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>u-Shelters</source>
        <translation>u-쉘터</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Safety devices</source>
        <translation>안심 단말기</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n in SOS</source>
        <translation>
            <numerusform>긴급호출 %n건</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no SOS</source>
        <translation>긴급호출 없음</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Districts</source>
        <translation>자치구</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 dong</source>
        <translation>행정동 %1개</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>By district</source>
        <translation>자치구별</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CCTV</source>
        <translation>CCTV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WiFi</source>
        <translation>와이파이</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S-DoT</source>
        <translation>S-DoT</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../qml/panels/StatusBar.qml" line="+34"/>
        <source>Data loaded: %1 of %2 data sets in %3 ms</source>
        <translation>데이터 로드: %2개 중 %1개 데이터셋, %3 ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loading data…</source>
        <translation>데이터를 불러오는 중…</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n row(s) rejected</source>
        <translation>
            <numerusform>거부된 행 %n개</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>History: not kept</source>
        <translation>기록: 저장 안 함</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History: %1 records saved</source>
        <translation>기록: %1건 저장됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History: not saving</source>
        <translation>기록: 저장 중단</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 N, %2 E</source>
        <translation>북위 %1, 동경 %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zoom %1</source>
        <translation>확대 수준 %1</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../../qml/panels/TopBar.qml" line="+26"/>
        <source>Gwanje</source>
        <translation>관제</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seoul integrated operations center</source>
        <translation>서울 통합관제센터</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Demo: built-in Seoul data</source>
        <translation>데모: 내장 서울 데이터</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../qml/video/VideoTile.qml" line="+145"/>
        <source>No camera</source>
        <translation>카메라 없음</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No stream for this camera</source>
        <translation>이 카메라의 영상 주소가 없습니다</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Picture frozen</source>
        <translation>영상 정지</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Picture black</source>
        <translation>검은 화면</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live · main</source>
        <translation>실시간 · 메인</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Live</source>
        <translation>실시간</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting…</source>
        <translation>연결 중…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Signal lost: %1</source>
        <translation>신호 없음: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No stream</source>
        <translation>영상 없음</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Idle</source>
        <translation>대기</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../qml/video/VideoWall.qml" line="+27"/>
        <source>CCTV</source>
        <translation>CCTV</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Alarm: %1 (+%2 waiting)</source>
        <translation>경보: %1 (+%2건 대기)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm: %1</source>
        <translation>경보: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Alarm pop-up</source>
        <translation>경보 팝업</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Layout %1</source>
        <translation>화면 분할 %1</translation>
    </message>
</context>
<context>
    <name>gwanje::AlarmListModel</name>
    <message>
        <location filename="../../ui/alarms/AlarmListModel.cpp" line="+29"/>
        <source>Closed</source>
        <translation>종료</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unacknowledged</source>
        <translation>미확인</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged</source>
        <translation>확인됨</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Returned, unacknowledged</source>
        <translation>복귀·미확인</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shelved</source>
        <translation>보류</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suppressed by design</source>
        <translation>설계상 억제</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Out of service</source>
        <translation>사용 중지</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 min</source>
        <translation>%1분</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d</source>
        <translation>%1일</translation>
    </message>
</context>
<context>
    <name>gwanje::AlarmType</name>
    <message>
        <location filename="../../core/fusion/rules/SosRule.cpp" line="+9"/>
        <source>SOS emergency call</source>
        <translation>SOS 긴급호출</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/FallRule.cpp" line="+8"/>
        <source>Fall</source>
        <translation>낙상</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/SafeZoneExitRule.cpp" line="+11"/>
        <source>Left the safe zone</source>
        <translation>안심구역 이탈</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/DeviceOfflineRule.cpp" line="+12"/>
        <source>Device disconnected</source>
        <translation>단말 연결 끊김</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/LowBatteryRule.cpp" line="+10"/>
        <source>Low battery</source>
        <translation>배터리 부족</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/CameraOfflineRule.cpp" line="+8"/>
        <source>CCTV disconnected</source>
        <translation>CCTV 연결 끊김</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/CameraFrozenRule.cpp" line="+8"/>
        <source>CCTV picture frozen</source>
        <translation>CCTV 영상 정지</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/ApOfflineRule.cpp" line="+8"/>
        <source>WiFi AP failure</source>
        <translation>WiFi AP 장애</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/ShelterOfflineRule.cpp" line="+8"/>
        <source>u-Shelter display down</source>
        <translation>u-쉘터 안내화면 장애</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/StreetlightFaultRule.cpp" line="+9"/>
        <source>Streetlight fault</source>
        <translation>가로등 고장</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/SensorThresholdRule.cpp" line="+12"/>
        <source>Environment sensor over its limit</source>
        <translation>환경 센서 기준 초과</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/OutageRule.cpp" line="+10"/>
        <source>Grouped outage</source>
        <translation>집단 장애</translation>
    </message>
    <message>
        <location filename="../../core/fusion/rules/CameraBlackRule.cpp" line="+9"/>
        <source>CCTV picture black</source>
        <translation>CCTV 영상 검은 화면</translation>
    </message>
</context>
<context>
    <name>gwanje::AlarmsFacade</name>
    <message>
        <location filename="../../ui/alarms/AlarmsFacade.cpp" line="+277"/>
        <source>refused</source>
        <translation>거부됨</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Raised</source>
        <translation>발생</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned to normal</source>
        <translation>정상 복귀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned</source>
        <translation>배정</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>의견</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>보류</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelved</source>
        <translation>보류 해제</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelved automatically</source>
        <translation>자동 보류 해제</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escalated</source>
        <translation>상향</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>종료</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taken out of service</source>
        <translation>사용 중지</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned to service</source>
        <translation>사용 재개</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed</source>
        <translation>억제</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unsuppressed</source>
        <translation>억제 해제</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reminder</source>
        <translation>재알림</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Procedure step</source>
        <translation>절차 단계</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dispatched</source>
        <translation>전파</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guardian notified</source>
        <translation>보호자 통보</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members updated</source>
        <translation>구성 변경</translation>
    </message>
</context>
<context>
    <name>gwanje::AssetSearchModel</name>
    <message>
        <location filename="../../ui/assets/AssetSearchModel.cpp" line="+26"/>
        <source>CCTV site</source>
        <translation>CCTV 설치 지점</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Public WiFi</source>
        <translation>공공 와이파이</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sensor</source>
        <translation>센서</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Streetlight</source>
        <translation>가로등</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>u-Shelter</source>
        <translation>u-쉘터</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>District</source>
        <translation>자치구</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dong</source>
        <translation>행정동</translation>
    </message>
</context>
<context>
    <name>gwanje::AssetsFacade</name>
    <message>
        <location filename="../../ui/assets/AssetsFacade.cpp" line="+112"/>
        <source>%1: the data file is missing</source>
        <translation>%1: 데이터 파일이 없습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: the file cannot be read (%2)</source>
        <translation>%1: 파일을 읽을 수 없습니다 (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: the column mapping is invalid (%2)</source>
        <translation>%1: 열 매핑이 올바르지 않습니다 (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: columns named in the mapping are missing (%2)</source>
        <translation>%1: 매핑에 지정된 열이 파일에 없습니다 (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: some camera stream addresses are not rtsp or http URLs; those cameras have no video</source>
        <translation>%1: 일부 카메라 영상 주소가 rtsp/http 주소가 아닙니다. 해당 카메라는 영상 없이 표시됩니다</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The data folder %1 does not exist</source>
        <translation>데이터 폴더 %1이(가) 없습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The data folder %1 holds no data sets</source>
        <translation>데이터 폴더 %1에 데이터셋이 없습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>gwanje::BasemapFacade</name>
    <message>
        <location filename="../../ui/map/BasemapFacade.cpp" line="+47"/>
        <source>Map layers: %1</source>
        <translation>지도 레이어: %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Map layer “%1” cannot be shown: %2</source>
        <translation>지도 레이어 “%1”을(를) 표시할 수 없습니다: %2</translation>
    </message>
</context>
<context>
    <name>gwanje::CameraStream</name>
    <message>
        <location filename="../../ui/video/CameraStream.cpp" line="+220"/>
        <source>the stream ended</source>
        <translation>영상 스트림이 끝났습니다</translation>
    </message>
    <message>
        <location line="+246"/>
        <source>no picture for %1 s</source>
        <translation>%1초 동안 영상 없음</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no picture since the request (%1 s)</source>
        <translation>요청 후 영상 없음(%1초)</translation>
    </message>
</context>
<context>
    <name>gwanje::CompositionRoot</name>
    <message>
        <location filename="../../app/CompositionRoot.cpp" line="+312"/>
        <source>No simulated cameras: gwanje-camsim was not found.</source>
        <translation>시뮬레이션 카메라 없음: gwanje-camsim을 찾을 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>gwanje::HistoryFacade</name>
    <message numerus="yes">
        <location filename="../../ui/common/HistoryFacade.cpp" line="+46"/>
        <source>The disk is full: new events are not being saved (%n waiting). They are still shown.</source>
        <translation>
            <numerusform>디스크가 가득 찼습니다: 새 이벤트가 저장되지 않고 있습니다(대기 %n건). 화면에는 계속 표시됩니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The event history file is damaged (%1). Events are shown but not kept.</source>
        <translation>이벤트 기록 파일이 손상되었습니다(%1). 이벤트는 표시되지만 저장되지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The event history cannot be opened (%1). Events are shown but not kept.</source>
        <translation>이벤트 기록을 열 수 없습니다(%1). 이벤트는 표시되지만 저장되지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The event history is from a newer version (%1). Events are shown but not kept.</source>
        <translation>이벤트 기록이 더 새로운 버전에서 만들어졌습니다(%1). 이벤트는 표시되지만 저장되지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The event history cannot be written (%1). Events are shown; saving is retried.</source>
        <translation>이벤트 기록에 쓸 수 없습니다(%1). 이벤트는 표시되며 저장을 다시 시도합니다.</translation>
    </message>
</context>
<context>
    <name>gwanje::MapSelection</name>
    <message>
        <location filename="../../ui/map/MapSelection.cpp" line="+81"/>
        <source>CCTV site</source>
        <translation>CCTV 설치 지점</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Public WiFi</source>
        <translation>공공 와이파이</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sensor</source>
        <translation>센서</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Water-quality sensor</source>
        <translation>수질 센서</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Streetlight</source>
        <translation>가로등</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>u-Shelter</source>
        <translation>u-쉘터</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Safety device %1</source>
        <translation>안심 단말기 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Good</source>
        <translation>좋음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Moderate</source>
        <translation>보통</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bad</source>
        <translation>나쁨</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Very bad</source>
        <translation>매우나쁨</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Lit</source>
        <translation>점등</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off (daytime)</source>
        <translation>소등 (주간)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lamp failed</source>
        <translation>램프 고장</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lantern broken</source>
        <translation>등기구 파손</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Column damaged</source>
        <translation>지주 이상</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>360°</source>
        <translation>360° 전방위</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>fixed, %1° wide, direction not given</source>
        <translation>고정형, 화각 %1°, 방향 정보 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fixed, direction not given</source>
        <translation>고정형, 방향 정보 없음</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>towards %1, %2° each (assumed)</source>
        <translation>%1 방향, 각 %2° (추정)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>towards %1, %2° each</source>
        <translation>%1 방향, 각 %2°</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>could not be read</source>
        <translation>해석할 수 없음</translation>
    </message>
    <message>
        <location line="-127"/>
        <location line="+2"/>
        <source>%1 µg/m³</source>
        <translation>%1 µg/m³</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 W</source>
        <translation>%1 W</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offline</source>
        <translation>연결 끊김</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Picture frozen</source>
        <translation>영상 정지</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Picture black</source>
        <translation>검은 화면</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Online</source>
        <translation>정상</translation>
    </message>
</context>
<context>
    <name>gwanje::MapView</name>
    <message numerus="yes">
        <location filename="../../ui/map/MapView.cpp" line="+384"/>
        <source>%n markers here; click to zoom in</source>
        <translation>
            <numerusform>이곳에 %n개 표시; 클릭하면 확대</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gwanje::SimulatedCameras</name>
    <message>
        <location filename="../../app/SimulatedCameras.cpp" line="+22"/>
        <source>The simulated cameras could not start: %1</source>
        <translation>시뮬레이션 카메라를 시작할 수 없습니다: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The simulated cameras stopped (exit code %1)</source>
        <translation>시뮬레이션 카메라가 중지되었습니다 (종료 코드 %1)</translation>
    </message>
</context>
</TS>
